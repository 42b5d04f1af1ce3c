package dev.jobqueue.core.queue;

import java.time.Duration;

/**
 * How many finished jobs to keep and for how long; whichever limit is reached first applies.
 *
 * @param maxCount jobs to keep; 0 forgets a job as soon as it finishes
 * @param maxAge longest time to keep a job, or {@code null} for no age limit
 */
public record Retention(long maxCount, Duration maxAge) {

	/** Completed and cancelled jobs: the last 1,000, for at most a day. */
	public static final Retention COMPLETED_DEFAULT = new Retention(1_000, Duration.ofDays(1));

	/** Dead letters: the last 10,000, for at most 30 days. */
	public static final Retention DEAD_DEFAULT = new Retention(10_000, Duration.ofDays(30));

	/** Keep nothing. */
	public static final Retention NONE = new Retention(0, Duration.ZERO);

	public Retention {
		if (maxCount < 0) {
			throw new IllegalArgumentException("maxCount must be zero or positive");
		}
		if (maxAge != null && maxAge.isNegative()) {
			throw new IllegalArgumentException("maxAge must be zero or positive");
		}
	}

	/** The age limit in ms, or -1 for none. */
	public long maxAgeMillis() {
		return (this.maxAge != null) ? this.maxAge.toMillis() : -1;
	}

}
