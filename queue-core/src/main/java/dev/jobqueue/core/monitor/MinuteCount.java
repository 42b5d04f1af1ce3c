package dev.jobqueue.core.monitor;

import java.time.Instant;

/**
 * How many attempts of one queue finished in one minute, by Redis's clock.
 *
 * @param minute the start of the minute
 * @param processed attempts that completed their job
 * @param failed attempts that failed (retried later or dead-lettered)
 */
public record MinuteCount(Instant minute, long processed, long failed) {
}
