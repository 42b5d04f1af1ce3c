package dev.jobqueue.core.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.jobqueue.core.middleware.JobMiddleware;

/**
 * Per-job-type settings that override a worker's defaults.
 *
 * @param retryPolicy retries and back-off for this type, or {@code null} for the worker's
 * @param timeout longest time one attempt may run, or {@code null} for the worker's
 * @param middleware run around this type's handler, after the worker's own, first outermost
 * @param onFailed called once a job of this type was dead-lettered after its last attempt, or {@code null}
 * @param onTimedOut called each time an attempt of this type ran past its timeout, or {@code null}
 */
public record HandlerOptions(RetryPolicy retryPolicy, Duration timeout, List<JobMiddleware> middleware,
		JobHooks.Failed onFailed, JobHooks.TimedOut onTimedOut) {

	public static final HandlerOptions DEFAULTS = new HandlerOptions(null, null);

	public HandlerOptions {
		middleware = List.copyOf(middleware);
	}

	public HandlerOptions(RetryPolicy retryPolicy, Duration timeout) {
		this(retryPolicy, timeout, List.of(), null, null);
	}

	public HandlerOptions withRetryPolicy(RetryPolicy retryPolicy) {
		return new HandlerOptions(retryPolicy, this.timeout, this.middleware, this.onFailed, this.onTimedOut);
	}

	public HandlerOptions withTimeout(Duration timeout) {
		return new HandlerOptions(this.retryPolicy, timeout, this.middleware, this.onFailed, this.onTimedOut);
	}

	/** Adds middleware around the handler, inside those added before. */
	public HandlerOptions withMiddleware(JobMiddleware... middleware) {
		List<JobMiddleware> all = new ArrayList<>(this.middleware);
		for (JobMiddleware one : middleware) {
			all.add(Objects.requireNonNull(one, "middleware"));
		}
		return new HandlerOptions(this.retryPolicy, this.timeout, all, this.onFailed, this.onTimedOut);
	}

	public HandlerOptions withOnFailed(JobHooks.Failed onFailed) {
		return new HandlerOptions(this.retryPolicy, this.timeout, this.middleware, onFailed, this.onTimedOut);
	}

	public HandlerOptions withOnTimedOut(JobHooks.TimedOut onTimedOut) {
		return new HandlerOptions(this.retryPolicy, this.timeout, this.middleware, this.onFailed, onTimedOut);
	}

}
