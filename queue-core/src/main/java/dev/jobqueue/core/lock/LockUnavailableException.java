package dev.jobqueue.core.lock;

/** The lock was held by someone else for the whole wait. */
public class LockUnavailableException extends RuntimeException {

	public LockUnavailableException(String message) {
		super(message);
	}

}
