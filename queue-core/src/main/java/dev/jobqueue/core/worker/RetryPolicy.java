package dev.jobqueue.core.worker;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.jobqueue.core.job.BackOff;
import dev.jobqueue.core.job.Job;

/**
 * Decides what happens after a failed attempt: retry after a back-off, or dead-letter. A job's own
 * {@code maxRetries} and back-off win over the policy's. Immutable.
 *
 * @param maxRetries retries after the first failure (3 by default)
 * @param backoff delays between retries (1 s doubling to 1 h by default)
 * @param nonRetryable exception types that go straight to the dead-letter queue, besides
 * {@link NonRetryableJobException}
 */
public record RetryPolicy(int maxRetries, BackOff backoff, List<Class<? extends Throwable>> nonRetryable) {

	public RetryPolicy {
		if (maxRetries < 0) {
			throw new IllegalArgumentException("maxRetries must be zero or positive");
		}
		Objects.requireNonNull(backoff, "backoff");
		nonRetryable = List.copyOf(nonRetryable);
	}

	public static RetryPolicy defaults() {
		return new RetryPolicy(3, BackOff.DEFAULT, List.of());
	}

	public RetryPolicy withMaxRetries(int maxRetries) {
		return new RetryPolicy(maxRetries, this.backoff, this.nonRetryable);
	}

	public RetryPolicy withBackoff(BackOff backoff) {
		return new RetryPolicy(this.maxRetries, backoff, this.nonRetryable);
	}

	@SafeVarargs
	public final RetryPolicy withNonRetryable(Class<? extends Throwable>... types) {
		return new RetryPolicy(this.maxRetries, this.backoff, List.of(types));
	}

	/**
	 * @param job the job, or {@code null} when its data could not be read
	 * @param failures failed attempts including this one
	 * @param error what the attempt threw
	 * @return the delay before the next attempt, or {@code null} to dead-letter the job
	 */
	public Duration retryDelay(Job job, int failures, Throwable error) {
		if (isNonRetryable(error)) {
			return null;
		}
		int allowed = (job != null && job.maxRetries() != null) ? job.maxRetries() : this.maxRetries;
		if (failures > allowed) {
			return null;
		}
		BackOff jobBackOff = (job != null) ? job.backoff() : null;
		return ((jobBackOff != null) ? jobBackOff : this.backoff).delay(failures, error);
	}

	private boolean isNonRetryable(Throwable error) {
		// Identity set: a cause chain may loop back on itself.
		java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
		for (Throwable cause = error; cause != null && seen.add(cause); cause = cause.getCause()) {
			if (cause instanceof NonRetryableJobException) {
				return true;
			}
			for (Class<? extends Throwable> type : this.nonRetryable) {
				if (type.isInstance(cause)) {
					return true;
				}
			}
		}
		return false;
	}

}
