package dev.jobqueue.spring.builtin;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.jobqueue.core.job.BackOff;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTests {

	private static final Instant NOW = Instant.parse("2026-11-26T07:00:00Z");

	@Test
	void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
		assertThat(WebhookJobHandler.retryAfter("120", NOW)).isEqualTo(Duration.ofMinutes(2));
		assertThat(WebhookJobHandler.retryAfter("Thu, 26 Nov 2026 07:00:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(30));
		assertThat(WebhookJobHandler.retryAfter("Thu, 26 Nov 2026 06:59:00 GMT", NOW)).isEqualTo(Duration.ZERO);
		assertThat(WebhookJobHandler.retryAfter("soon", NOW)).isNull();
		assertThat(WebhookJobHandler.retryAfter(null, NOW)).isNull();
	}

	@Test
	void theBackOffWaitsWhatTheEndpointAskedForUpToTheCapAndOtherwiseFallsBack() {
		BackOff backOff = WebhookJobHandler.backOff(BackOff.fixed(Duration.ofSeconds(10)), Duration.ofMinutes(5));

		assertThat(backOff.delay(1, busy(Duration.ofSeconds(3)))).isEqualTo(Duration.ofSeconds(3));
		assertThat(backOff.delay(1, busy(Duration.ofHours(2)))).isEqualTo(Duration.ofMinutes(5));
		assertThat(backOff.delay(1, busy(null))).isEqualTo(Duration.ofSeconds(10));
		assertThat(backOff.delay(1, new IllegalStateException())).isEqualTo(Duration.ofSeconds(10));
	}

	private static WebhookDeliveryException busy(Duration retryAfter) {
		return new WebhookDeliveryException("busy", 503, retryAfter, null);
	}

}
