package dev.jobqueue.core.alert;

import java.time.Duration;
import java.time.Instant;

/**
 * The alerts of one job type that flood control held back in one window, sent once after the window ended.
 * Immutable.
 *
 * @param jobType the job type
 * @param heldBack dead letters not alerted one by one in the window
 * @param window the window's length
 * @param windowEnd when the window ended (Redis's clock)
 * @param latestError the error of the latest dead letter held back
 */
public record DeadLetterSummary(String jobType, long heldBack, Duration window, Instant windowEnd, String latestError) {

	/** Names this summary: one per job type and window. */
	public String id() {
		return this.jobType + "@" + this.windowEnd.toEpochMilli();
	}

}
