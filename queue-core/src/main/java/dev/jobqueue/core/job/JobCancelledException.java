package dev.jobqueue.core.job;

/** Thrown by {@link JobContext#checkCancelled()} when a running job should stop. */
public class JobCancelledException extends RuntimeException {

	public JobCancelledException(String message) {
		super(message);
	}

}
