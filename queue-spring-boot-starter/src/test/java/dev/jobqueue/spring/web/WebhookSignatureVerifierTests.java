package dev.jobqueue.spring.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each scheme verifies the example its provider publishes, and refuses what it must. */
class WebhookSignatureVerifierTests {

	private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

	@Test
	void standardWebhooksAcceptsTheSpecificationsExample() {
		// The test vector of the Standard Webhooks reference libraries.
		StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), FIVE_MINUTES);
		Map<String, String> headers = Map.of("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp", "1614265330",
				"webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
		byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

		assertThat(verifier.verify(headers(headers), body, Instant.ofEpochSecond(1614265330)))
			.isEqualTo(WebhookVerification.accepted("msg_p5jXN8AQM9LWM0D4loKWxJek"));
		assertThat(verifier.verify(headers(headers), "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8),
				Instant.ofEpochSecond(1614265330)).accepted()).isFalse();
		assertThat(verifier.verify(headers(headers), body, Instant.ofEpochSecond(1614265330 + 301)).accepted()).isFalse();
		assertThat(verifier.verify(headers(headers), body, Instant.ofEpochSecond(1614265330 - 301)).accepted()).isFalse();
	}

	@Test
	void standardWebhooksAcceptsAnyOfSeveralSignaturesAndSecretsDuringRotation() {
		StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(
				List.of("whsec_bmV3LWtleS1uZXcta2V5LW5ldy1rZXk=", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), FIVE_MINUTES);
		Map<String, String> headers = Map.of("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp", "1614265330",
				"webhook-signature", "v1,Zm9yZ2VkLXNpZ25hdHVyZQ== v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");

		assertThat(verifier.verify(headers(headers), "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8),
				Instant.ofEpochSecond(1614265330)).accepted()).isTrue();
	}

	@Test
	void gitHubAcceptsTheDocumentationsExample() {
		// GitHub's "Validating webhook deliveries" example.
		GitHubSignatureVerifier verifier = new GitHubSignatureVerifier(List.of("It's a Secret to Everybody"));
		Map<String, String> headers = Map.of("X-Hub-Signature-256",
				"sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "X-GitHub-Delivery", "d-1");

		// The delivery header is not signed: the delivery is known by the digest of the signed body.
		assertThat(verifier.verify(headers(headers), "Hello, World!".getBytes(StandardCharsets.UTF_8), Instant.now()))
			.isEqualTo(WebhookVerification.accepted("sha256-dffd6021bb2bd5b0af676290809ec3a53191dd81c7f70a4b28688a362182986f"));
		assertThat(verifier.verify(headers(headers), "Hello, World?".getBytes(StandardCharsets.UTF_8), Instant.now()).accepted()).isFalse();
		assertThat(verifier.verify(headers(Map.of("X-Hub-Signature", "sha1=00")), new byte[0], Instant.now()).accepted()).isFalse();
	}

	@Test
	void stripeSignsTheTimestampAndTheBody() {
		StripeSignatureVerifier verifier = new StripeSignatureVerifier(List.of("whsec_test_secret"), FIVE_MINUTES);
		byte[] body = "{\"id\":\"evt_1\"}".getBytes(StandardCharsets.UTF_8);
		long t = 1_700_000_000L;
		String good = HexFormat.of().formatHex(WebhookSignatureVerifier.hmacSha256(
				"whsec_test_secret".getBytes(StandardCharsets.UTF_8), (t + ".").getBytes(StandardCharsets.UTF_8), body));
		Instant now = Instant.ofEpochSecond(t + 10);

		assertThat(verifier.verify(headers(Map.of("Stripe-Signature", "t=" + t + ",v1=" + good + ",v0=abc")), body, now).accepted()).isTrue();
		assertThat(verifier.verify(headers(Map.of("Stripe-Signature", "t=" + t + ",v1=deadbeef,v1=" + good)), body, now).accepted()).isTrue();
		assertThat(verifier.verify(headers(Map.of("Stripe-Signature", "t=" + (t + 1) + ",v1=" + good)), body, now).accepted()).isFalse();
		assertThat(verifier.verify(headers(Map.of("Stripe-Signature", "t=" + t + ",v1=" + good)), body, now.plusSeconds(600)).accepted()).isFalse();
		assertThat(verifier.verify(headers(Map.of("Stripe-Signature", "v1=" + good)), body, now).accepted()).isFalse();
	}

	@Test
	void theTimestampWindowIsExactToTheMillisecondInBothDirections() {
		StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), FIVE_MINUTES);
		Map<String, String> headers = Map.of("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp", "1614265330",
				"webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
		byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
		Instant signedAt = Instant.ofEpochSecond(1614265330);

		assertThat(verifier.verify(headers(headers), body, signedAt.plusMillis(300_000)).accepted()).isTrue();
		assertThat(verifier.verify(headers(headers), body, signedAt.plusMillis(300_001)).accepted()).isFalse();
		assertThat(verifier.verify(headers(headers), body, signedAt.plusMillis(300_900)).accepted()).isFalse();
		assertThat(verifier.verify(headers(headers), body, signedAt.minusMillis(300_000)).accepted()).isTrue();
		assertThat(verifier.verify(headers(headers), body, signedAt.minusMillis(300_001)).accepted()).isFalse();
	}

	@Test
	void timestampsThatOverflowOrAreNotPlainDigitsAreRefused() {
		Instant now = Instant.now();
		assertThat(WebhookSignatureVerifier.withinTolerance(now.getEpochSecond() + Long.MIN_VALUE, now, FIVE_MINUTES)).isFalse();
		assertThat(WebhookSignatureVerifier.withinTolerance(Long.MIN_VALUE, now, FIVE_MINUTES)).isFalse();
		assertThat(WebhookSignatureVerifier.withinTolerance(Long.MAX_VALUE, now, FIVE_MINUTES)).isFalse();
		assertThat(WebhookSignatureVerifier.withinTolerance(Long.MAX_VALUE / 1000, now, FIVE_MINUTES)).isFalse();
		assertThat(WebhookSignatureVerifier.withinTolerance(now.getEpochSecond(), now, FIVE_MINUTES)).isTrue();
		for (String bad : new String[] { "-5", "+5", " 5", "5 ", "0x10", "1e9", "", "99999999999999999999" }) {
			assertThat(WebhookSignatureVerifier.epochSeconds(bad)).as("'%s'", bad).isNull();
		}
		assertThat(WebhookSignatureVerifier.epochSeconds("1614265330")).isEqualTo(1614265330L);
	}

	private static Function<String, String> headers(Map<String, String> headers) {
		Map<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		caseInsensitive.putAll(headers);
		return caseInsensitive::get;
	}

}
