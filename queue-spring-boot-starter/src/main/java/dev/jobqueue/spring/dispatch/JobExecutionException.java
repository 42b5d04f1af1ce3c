package dev.jobqueue.spring.dispatch;

/** A handler run by {@link JobDispatcher#dispatchSync} threw a checked exception, which this wraps. */
public class JobExecutionException extends RuntimeException {

	public JobExecutionException(String message, Throwable cause) {
		super(message, cause);
	}

}
