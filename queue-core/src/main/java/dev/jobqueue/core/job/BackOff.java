package dev.jobqueue.core.job;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;

/**
 * How long to wait before retrying a failed job. {@code retry} is 1 for the first retry. Fixed,
 * linear and exponential back-offs can travel with a job ({@link Job#withBackoff}); a custom one
 * is code, so it is set on a worker's retry policy instead.
 */
public sealed interface BackOff {

	/** 1 s doubling to at most 1 h, without jitter. */
	BackOff DEFAULT = exponential(Duration.ofSeconds(1), 2.0, Duration.ofHours(1));

	Duration delay(int retry, Throwable error);

	/** The given delays in turn; the last one repeats. */
	static Fixed fixed(Duration... delays) {
		return new Fixed(List.of(delays));
	}

	/** {@code initial}, then {@code increment} more for each retry, capped at {@code max}. */
	static Linear linear(Duration initial, Duration increment, Duration max) {
		return new Linear(initial, increment, max);
	}

	/** {@code initial * multiplier^(retry - 1)}, capped at {@code max}. */
	static Exponential exponential(Duration initial, double multiplier, Duration max) {
		return new Exponential(initial, multiplier, max, 0);
	}

	/** Any function of the retry number and the error. */
	static Custom custom(BiFunction<Integer, Throwable, Duration> function) {
		return new Custom(function);
	}

	/** Fixed delays. */
	record Fixed(List<Duration> delays) implements BackOff {

		public Fixed {
			delays = List.copyOf(delays);
			if (delays.isEmpty()) {
				throw new IllegalArgumentException("A fixed back-off needs at least one delay");
			}
			delays.forEach(BackOff::requireNotNegative);
		}

		@Override
		public Duration delay(int retry, Throwable error) {
			return this.delays.get(Math.min(Math.max(retry, 1), this.delays.size()) - 1);
		}

	}

	/** Linearly growing delays. */
	record Linear(Duration initial, Duration increment, Duration max) implements BackOff {

		public Linear {
			requireNotNegative(initial);
			requireNotNegative(increment);
			requireNotNegative(max);
		}

		@Override
		public Duration delay(int retry, Throwable error) {
			long millis = this.initial.toMillis() + (long) (Math.max(retry, 1) - 1) * this.increment.toMillis();
			return Duration.ofMillis(Math.min(millis, this.max.toMillis()));
		}

	}

	/**
	 * Exponentially growing delays. A {@code jitter} of 0.2 spreads each delay at random over
	 * +/- 20% so that jobs failing together do not retry together.
	 */
	record Exponential(Duration initial, double multiplier, Duration max, double jitter) implements BackOff {

		public Exponential {
			requireNotNegative(initial);
			requireNotNegative(max);
			if (multiplier < 1) {
				throw new IllegalArgumentException("The multiplier of an exponential back-off must be at least 1");
			}
			if (jitter < 0 || jitter >= 1) {
				throw new IllegalArgumentException("Jitter must be in [0, 1)");
			}
		}

		public Exponential withJitter(double jitter) {
			return new Exponential(this.initial, this.multiplier, this.max, jitter);
		}

		@Override
		public Duration delay(int retry, Throwable error) {
			double millis = this.initial.toMillis() * Math.pow(this.multiplier, Math.max(retry, 1) - 1);
			millis = Math.min(millis, this.max.toMillis());
			if (this.jitter > 0) {
				millis *= 1 + ThreadLocalRandom.current().nextDouble(-this.jitter, this.jitter);
			}
			return Duration.ofMillis((long) millis);
		}

	}

	/** A back-off computed by the application. */
	record Custom(BiFunction<Integer, Throwable, Duration> function) implements BackOff {

		public Custom {
			Objects.requireNonNull(function, "function");
		}

		@Override
		public Duration delay(int retry, Throwable error) {
			Duration delay = this.function.apply(retry, error);
			return (delay == null || delay.isNegative()) ? Duration.ZERO : delay;
		}

	}

	private static void requireNotNegative(Duration duration) {
		if (duration == null || duration.isNegative()) {
			throw new IllegalArgumentException("Back-off delays must be zero or positive");
		}
	}

}
