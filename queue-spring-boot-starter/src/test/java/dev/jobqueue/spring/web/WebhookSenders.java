package dev.jobqueue.spring.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs requests the way each sender documents it, written from the senders' documentation with
 * the JDK alone, so the tests do not check the production code against itself.
 */
final class WebhookSenders {

	private WebhookSenders() {
	}

	/** Standard Webhooks: base64 HMAC-SHA256 of {@code id.timestamp.body} keyed with the decoded whsec_ secret. */
	static Map<String, String> standard(String secret, String id, long timestamp, String body) {
		byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
		String signature = Base64.getEncoder().encodeToString(hmac(key, id + "." + timestamp + "." + body));
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("webhook-id", id);
		headers.put("webhook-timestamp", String.valueOf(timestamp));
		headers.put("webhook-signature", "v1," + signature);
		return headers;
	}

	/** Stripe: {@code Stripe-Signature: t=<seconds>,v1=<hex HMAC-SHA256 of t.body>}, keyed with the secret's bytes. */
	static Map<String, String> stripe(String secret, long timestamp, String body) {
		String signature = HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), timestamp + "." + body));
		return Map.of("Stripe-Signature", "t=" + timestamp + ",v1=" + signature);
	}

	/** GitHub: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}; the delivery header is not signed. */
	static Map<String, String> gitHub(String secret, String delivery, String body) {
		String signature = HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
		return Map.of("X-Hub-Signature-256", "sha256=" + signature, "X-GitHub-Delivery", delivery,
				"X-GitHub-Event", "push");
	}

	private static byte[] hmac(byte[] key, String content) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
