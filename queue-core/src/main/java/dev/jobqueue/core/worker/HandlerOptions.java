package dev.jobqueue.core.worker;

import java.time.Duration;

/**
 * Per-job-type settings that override a worker's defaults.
 *
 * @param retryPolicy retries and back-off for this type, or {@code null} for the worker's
 * @param timeout longest time one attempt may run, or {@code null} for the worker's
 */
public record HandlerOptions(RetryPolicy retryPolicy, Duration timeout) {

	public static final HandlerOptions DEFAULTS = new HandlerOptions(null, null);

	public HandlerOptions withRetryPolicy(RetryPolicy retryPolicy) {
		return new HandlerOptions(retryPolicy, this.timeout);
	}

	public HandlerOptions withTimeout(Duration timeout) {
		return new HandlerOptions(this.retryPolicy, timeout);
	}

}
