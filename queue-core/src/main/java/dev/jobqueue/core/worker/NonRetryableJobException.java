package dev.jobqueue.core.worker;

/**
 * Thrown by a handler (or found in the cause chain of what it throws) when retrying cannot help:
 * the job goes straight to the dead-letter queue.
 */
public class NonRetryableJobException extends RuntimeException {

	public NonRetryableJobException(String message) {
		super(message);
	}

	public NonRetryableJobException(String message, Throwable cause) {
		super(message, cause);
	}

}
