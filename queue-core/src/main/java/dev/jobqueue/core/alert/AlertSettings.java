package dev.jobqueue.core.alert;

import java.time.Duration;

import dev.jobqueue.core.redis.RedisKeys;

/**
 * How alerts are held back and retried. Immutable.
 *
 * @param floodWindow the window flood control counts alerts in, per job type
 * @param firstN alerts sent one by one per job type and window; the rest go into one summary per window
 * @param attempts tries per alerter and alert before the alert counts as not delivered
 * @param backOff wait after the first failed try, doubled after each further one
 */
public record AlertSettings(Duration floodWindow, int firstN, int attempts, Duration backOff) {

	public AlertSettings {
		RedisKeys.positive(floodWindow, "flood window");
		if (firstN < 0) {
			throw new IllegalArgumentException("firstN must be zero or more");
		}
		if (attempts < 1) {
			throw new IllegalArgumentException("attempts must be at least 1");
		}
		if (backOff == null || backOff.isNegative()) {
			throw new IllegalArgumentException("backOff must be zero or positive");
		}
	}

	/** 5 alerts per job type every 5 minutes, then a summary; 3 tries per alerter, 1 s back-off doubling. */
	public static AlertSettings defaults() {
		return new AlertSettings(Duration.ofMinutes(5), 5, 3, Duration.ofSeconds(1));
	}

	public AlertSettings withFlood(Duration floodWindow, int firstN) {
		return new AlertSettings(floodWindow, firstN, this.attempts, this.backOff);
	}

	public AlertSettings withRetries(int attempts, Duration backOff) {
		return new AlertSettings(this.floodWindow, this.firstN, attempts, backOff);
	}

}
