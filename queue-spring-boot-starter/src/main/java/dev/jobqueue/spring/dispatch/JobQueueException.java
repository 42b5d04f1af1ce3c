package dev.jobqueue.spring.dispatch;

/**
 * The job queue could not do what a dispatcher or job handle was asked: Redis refused or could not be
 * reached. The message is one line saying what was attempted and why it failed; the client's exception is
 * the cause. Whether a dispatch that failed this way stored its job is unknown (a reply may be lost):
 * dispatch again with the same {@link DispatchOptions#id(String) id} to be sure of exactly one job.
 */
public class JobQueueException extends RuntimeException {

	public JobQueueException(String message, Throwable cause) {
		super(message, cause);
	}

}
