package dev.jobqueue.spring.builtin;

import java.time.Duration;

/**
 * A webhook attempt that may work later: a timeout, a connection failure, or an answer 408, 429 or 5xx. Carries
 * the endpoint's {@code Retry-After}, which the webhook job's back-off uses as the delay before the next try.
 */
public class WebhookDeliveryException extends RuntimeException {

	private final int status;

	private final Duration retryAfter;

	public WebhookDeliveryException(String message, int status, Duration retryAfter, Throwable cause) {
		super(message, cause);
		this.status = status;
		this.retryAfter = retryAfter;
	}

	/** The status the endpoint answered, or 0 when there was no answer. */
	public int status() {
		return this.status;
	}

	/** The delay the endpoint asked for, or {@code null}. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
