package dev.jobqueue.core.codec;

/** A payload is not valid JSON or does not fit the type its handler declares. */
public class PayloadBindingException extends RuntimeException {

	public PayloadBindingException(String message, Throwable cause) {
		super(message, cause);
	}

}
