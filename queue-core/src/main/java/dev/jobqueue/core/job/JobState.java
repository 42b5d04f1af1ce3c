package dev.jobqueue.core.job;

import java.util.Locale;

/** Where a job is in its life. */
public enum JobState {

	/** Waiting to run. */
	PENDING,

	/** Delayed until its due time. */
	SCHEDULED,

	/** Leased by a worker and running. */
	ACTIVE,

	/** Ran successfully (kept for the retention window). */
	COMPLETED,

	/** Failed and waiting for its back-off before the next attempt. */
	RETRYING,

	/** Failed for good: in the dead-letter queue. */
	DEAD,

	/** Cancelled: before it ran, or while it ran (its worker stopped it). */
	CANCELLED,

	/** Finished without running its work (e.g. a skip-if condition held). */
	SKIPPED,

	/** Stored, but in no state the queue can find: its data outlived its place (e.g. a key deleted by hand). */
	UNKNOWN;

	/** The lower-case name used in Redis and in JSON, e.g. {@code "retrying"}. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static JobState fromId(String id) {
		return valueOf(id.toUpperCase(Locale.ROOT));
	}

}
