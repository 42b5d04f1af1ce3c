package dev.jobqueue.core.queue;

/** Number of jobs per state in one queue, read in one atomic step. */
public record QueueStats(long pending, long scheduled, long active, long completed, long retrying, long dead,
		long cancelled, long skipped) {
}
