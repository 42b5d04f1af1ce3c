package dev.jobqueue.core.worker;

/** The reason an attempt failed when it ran past its timeout; its handler thread was interrupted. */
public class JobTimeoutException extends RuntimeException {

	public JobTimeoutException(String message) {
		super(message);
	}

}
