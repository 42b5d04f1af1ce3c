package dev.jobqueue.core.queue;

/** A job's data in Redis is missing or cannot be read. The job fails with this reason; the worker goes on. */
public class CorruptJobException extends RuntimeException {

	public CorruptJobException(String message) {
		super(message);
	}

}
