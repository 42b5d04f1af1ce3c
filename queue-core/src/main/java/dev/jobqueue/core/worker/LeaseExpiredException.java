package dev.jobqueue.core.worker;

/**
 * Names the error of a job dead-lettered because its lease expired too many times: each time, its
 * worker died or hung while running it (a poison pill). Written by the queue, never thrown.
 */
public class LeaseExpiredException extends RuntimeException {

	public LeaseExpiredException(String message) {
		super(message);
	}

}
