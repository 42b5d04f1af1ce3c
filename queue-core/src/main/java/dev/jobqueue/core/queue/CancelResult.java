package dev.jobqueue.core.queue;

/** What {@link JobQueue#cancel} did. */
public enum CancelResult {

	/** The job was pending, scheduled or waiting to retry, and will not run. */
	CANCELLED,

	/** No such job is kept. */
	NOT_FOUND,

	/** The job is running or finished; it was left as it is. */
	NOT_CANCELLABLE

}
