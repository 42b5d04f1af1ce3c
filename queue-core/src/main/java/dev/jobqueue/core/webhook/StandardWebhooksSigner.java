package dev.jobqueue.core.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs outgoing requests the Standard Webhooks way: headers {@code webhook-id}, {@code webhook-timestamp}
 * (seconds) and {@code webhook-signature} ({@code v1,} then the base64 HMAC-SHA256 of {@code id.timestamp.body})
 * under a secret {@code whsec_<base64 key>}. The receiver checks the timestamp against its own clock, so it is
 * this machine's time by nature of the scheme. Immutable and thread-safe; {@link #toString()} never shows the key.
 */
public final class StandardWebhooksSigner {

	private static final String PREFIX = "whsec_";

	private final byte[] key;

	/** @param secret {@code whsec_} followed by the base64 key (the prefix may be left out) */
	public StandardWebhooksSigner(String secret) {
		if (secret == null || secret.isBlank()) {
			throw new IllegalArgumentException("A Standard Webhooks secret must not be empty");
		}
		String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
		try {
			this.key = Base64.getDecoder().decode(encoded.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("A Standard Webhooks secret is 'whsec_' followed by base64");
		}
		if (this.key.length == 0) {
			throw new IllegalArgumentException("A Standard Webhooks secret must not be empty");
		}
	}

	/** The three headers for {@code body} sent as message {@code id} at {@code timestamp}. */
	public Map<String, String> headers(String id, Instant timestamp, byte[] body) {
		String seconds = Long.toString(timestamp.getEpochSecond());
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("webhook-id", id);
		headers.put("webhook-timestamp", seconds);
		headers.put("webhook-signature", "v1," + Base64.getEncoder().encodeToString(sign(id + "." + seconds + ".", body)));
		return headers;
	}

	private byte[] sign(String prefix, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.key, "HmacSHA256"));
			mac.update(prefix.getBytes(StandardCharsets.UTF_8));
			return mac.doFinal(body);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	@Override
	public String toString() {
		return "StandardWebhooksSigner[secret=******]";
	}

}
