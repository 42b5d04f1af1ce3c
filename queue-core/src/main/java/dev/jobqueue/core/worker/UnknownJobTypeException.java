package dev.jobqueue.core.worker;

/** A worker leased a job whose type no handler of that worker handles. */
public class UnknownJobTypeException extends RuntimeException {

	public UnknownJobTypeException(String message) {
		super(message);
	}

}
