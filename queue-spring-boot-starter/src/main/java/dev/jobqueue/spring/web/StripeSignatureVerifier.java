package dev.jobqueue.spring.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * Stripe's scheme: header {@code Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>...]}; the signed
 * content is {@code t.body}; the key is the endpoint secret's UTF-8 bytes. The header names no
 * delivery: Stripe's event id (the body's {@code id}, signed with it) is the delivery id.
 */
public final class StripeSignatureVerifier implements WebhookSignatureVerifier {

	private final List<byte[]> keys;

	private final Duration tolerance;

	public StripeSignatureVerifier(List<String> secrets, Duration tolerance) {
		this.keys = secrets.stream().map(WebhookSignatureVerifier::utf8).toList();
		this.tolerance = tolerance;
	}

	@Override
	public WebhookVerification verify(Function<String, String> headers, byte[] body, Instant now) {
		String header = headers.apply("Stripe-Signature");
		if (header == null) {
			return WebhookVerification.refused("missing Stripe-Signature header");
		}
		String timestamp = null;
		List<String> signatures = new ArrayList<>();
		for (String item : header.split(",")) {
			int equals = item.indexOf('=');
			if (equals > 0) {
				String key = item.substring(0, equals).trim();
				if (key.equals("t")) {
					timestamp = item.substring(equals + 1).trim();
				}
				else if (key.equals("v1")) {
					signatures.add(item.substring(equals + 1).trim());
				}
			}
		}
		if (timestamp == null || signatures.isEmpty()) {
			return WebhookVerification.refused("Stripe-Signature has no timestamp or no v1 signature");
		}
		Long seconds = WebhookSignatureVerifier.epochSeconds(timestamp);
		if (seconds == null) {
			return WebhookVerification.refused("Stripe-Signature timestamp is not a number of seconds");
		}
		if (!WebhookSignatureVerifier.withinTolerance(seconds, now, this.tolerance)) {
			return WebhookVerification.refused("Stripe-Signature timestamp is outside the tolerance");
		}
		byte[] prefix = WebhookSignatureVerifier.utf8(timestamp + ".");
		for (byte[] key : this.keys) {
			byte[] expected = WebhookSignatureVerifier.hmacSha256(key, prefix, body);
			for (String signature : signatures) {
				if (WebhookSignatureVerifier.matches(expected, hex(signature))) {
					return WebhookVerification.accepted(null);
				}
			}
		}
		return WebhookVerification.refused("no v1 signature matches");
	}

	static byte[] hex(String value) {
		try {
			return HexFormat.of().parseHex(value);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
