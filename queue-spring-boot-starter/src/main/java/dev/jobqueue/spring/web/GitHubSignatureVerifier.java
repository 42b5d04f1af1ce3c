package dev.jobqueue.spring.web;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * GitHub's scheme: header {@code X-Hub-Signature-256: sha256=<hex>} over the body, keyed with the
 * secret's UTF-8 bytes. GitHub signs neither a timestamp nor its {@code X-GitHub-Delivery} header,
 * so the delivery id is a digest of the signed body: a captured request replayed with a new
 * delivery header is the same delivery. A replay after the dedupe window cannot be told apart.
 */
public final class GitHubSignatureVerifier implements WebhookSignatureVerifier {

	private static final String PREFIX = "sha256=";

	private final List<byte[]> keys;

	public GitHubSignatureVerifier(List<String> secrets) {
		this.keys = secrets.stream().map(WebhookSignatureVerifier::utf8).toList();
	}

	@Override
	public WebhookVerification verify(Function<String, String> headers, byte[] body, Instant now) {
		String signature = headers.apply("X-Hub-Signature-256");
		if (signature == null || !signature.startsWith(PREFIX)) {
			return WebhookVerification.refused("missing or malformed X-Hub-Signature-256 header");
		}
		byte[] actual = StripeSignatureVerifier.hex(signature.substring(PREFIX.length()).trim());
		for (byte[] key : this.keys) {
			if (WebhookSignatureVerifier.matches(WebhookSignatureVerifier.hmacSha256(key, body), actual)) {
				return WebhookVerification.accepted(
						"sha256-" + HexFormat.of().formatHex(WebhookSignatureVerifier.sha256(body)));
			}
		}
		return WebhookVerification.refused("X-Hub-Signature-256 does not match");
	}

}
