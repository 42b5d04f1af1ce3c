package dev.jobqueue.core.queue;

/** What {@link JobQueue#cancel} did. */
public enum CancelResult {

	/** The job was pending, scheduled or waiting to retry, and will not run. */
	CANCELLED,

	/** The job is running: its worker stops it at its next heartbeat and it ends cancelled, unless it finishes first. */
	REQUESTED,

	/** No such job is kept. */
	NOT_FOUND,

	/** The job has finished; it was left as it is. */
	NOT_CANCELLABLE

}
