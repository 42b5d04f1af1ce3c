package dev.jobqueue.spring.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * The Standard Webhooks scheme: headers {@code webhook-id}, {@code webhook-timestamp} (seconds) and
 * {@code webhook-signature} (space-separated {@code v1,<base64>} entries, several during key
 * rotation); the signed content is {@code id.timestamp.body}; secrets are {@code whsec_} followed by
 * the base64 key.
 */
public final class StandardWebhooksVerifier implements WebhookSignatureVerifier {

	private static final String PREFIX = "whsec_";

	private final List<byte[]> keys;

	private final Duration tolerance;

	public StandardWebhooksVerifier(List<String> secrets, Duration tolerance) {
		this.keys = secrets.stream().map(StandardWebhooksVerifier::key).toList();
		this.tolerance = tolerance;
	}

	private static byte[] key(String secret) {
		String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
		try {
			return Base64.getDecoder().decode(encoded);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("A Standard Webhooks secret is 'whsec_' followed by base64", ex);
		}
	}

	@Override
	public WebhookVerification verify(Function<String, String> headers, byte[] body, Instant now) {
		String id = headers.apply("webhook-id");
		String timestamp = headers.apply("webhook-timestamp");
		String signatures = headers.apply("webhook-signature");
		if (id == null || timestamp == null || signatures == null) {
			return WebhookVerification.refused("missing webhook-id, webhook-timestamp or webhook-signature header");
		}
		Long seconds = WebhookSignatureVerifier.epochSeconds(timestamp.trim());
		if (seconds == null) {
			return WebhookVerification.refused("webhook-timestamp is not a number of seconds");
		}
		if (!WebhookSignatureVerifier.withinTolerance(seconds, now, this.tolerance)) {
			return WebhookVerification.refused("webhook-timestamp is outside the tolerance");
		}
		byte[] prefix = WebhookSignatureVerifier.utf8(id + "." + timestamp.trim() + ".");
		for (byte[] key : this.keys) {
			byte[] expected = WebhookSignatureVerifier.hmacSha256(key, prefix, body);
			for (String signature : signatures.trim().split(" +")) {
				int comma = signature.indexOf(',');
				if (comma > 0 && signature.substring(0, comma).equals("v1")
						&& WebhookSignatureVerifier.matches(expected, decode(signature.substring(comma + 1)))) {
					return WebhookVerification.accepted(id);
				}
			}
		}
		return WebhookVerification.refused("no webhook-signature matches");
	}

	private static byte[] decode(String base64) {
		try {
			return Base64.getDecoder().decode(base64);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
