package dev.jobqueue.core.job;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BackOffTests {

	private static final RuntimeException ERROR = new RuntimeException("boom");

	@Test
	void fixedUsesTheDelaysInTurnAndRepeatsTheLast() {
		BackOff backoff = BackOff.fixed(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30));
		assertThat(backoff.delay(1, ERROR)).isEqualTo(Duration.ofSeconds(1));
		assertThat(backoff.delay(2, ERROR)).isEqualTo(Duration.ofSeconds(5));
		assertThat(backoff.delay(3, ERROR)).isEqualTo(Duration.ofSeconds(30));
		assertThat(backoff.delay(9, ERROR)).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void linearGrowsByTheIncrementUpToTheCap() {
		BackOff backoff = BackOff.linear(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(10));
		assertThat(backoff.delay(1, ERROR)).isEqualTo(Duration.ofSeconds(2));
		assertThat(backoff.delay(2, ERROR)).isEqualTo(Duration.ofSeconds(5));
		assertThat(backoff.delay(3, ERROR)).isEqualTo(Duration.ofSeconds(8));
		assertThat(backoff.delay(4, ERROR)).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void theDefaultIsExponentialFromOneSecondDoublingToOneHour() {
		assertThat(BackOff.DEFAULT.delay(1, ERROR)).isEqualTo(Duration.ofSeconds(1));
		assertThat(BackOff.DEFAULT.delay(2, ERROR)).isEqualTo(Duration.ofSeconds(2));
		assertThat(BackOff.DEFAULT.delay(5, ERROR)).isEqualTo(Duration.ofSeconds(16));
		assertThat(BackOff.DEFAULT.delay(12, ERROR)).isEqualTo(Duration.ofSeconds(2048));
		assertThat(BackOff.DEFAULT.delay(13, ERROR)).isEqualTo(Duration.ofHours(1));
		assertThat(BackOff.DEFAULT.delay(1_000, ERROR)).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void jitterSpreadsExponentialDelaysWithinItsBounds() {
		BackOff backoff = BackOff.exponential(Duration.ofSeconds(10), 2, Duration.ofHours(1)).withJitter(0.2);
		for (int i = 0; i < 200; i++) {
			assertThat(backoff.delay(1, ERROR)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
		}
	}

	@Test
	void customIsAFunctionOfTheRetryAndTheError() {
		BackOff backoff = BackOff.custom((retry, error) -> error instanceof IllegalStateException
				? Duration.ofMinutes(retry) : Duration.ofSeconds(1));
		assertThat(backoff.delay(3, new IllegalStateException())).isEqualTo(Duration.ofMinutes(3));
		assertThat(backoff.delay(3, ERROR)).isEqualTo(Duration.ofSeconds(1));
		assertThat(BackOff.custom((retry, error) -> null).delay(1, ERROR)).isZero();
	}

	@Test
	void rejectsNonsense() {
		assertThatIllegalArgumentException().isThrownBy(BackOff::fixed);
		assertThatIllegalArgumentException().isThrownBy(() -> BackOff.fixed(Duration.ofSeconds(-1)));
		assertThatIllegalArgumentException().isThrownBy(() -> BackOff.exponential(Duration.ofSeconds(1), 0.5, Duration.ofHours(1)));
	}

}
