package dev.jobqueue.core.middleware;

import java.util.Objects;
import java.util.function.Function;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.limit.RateLimiter;

/**
 * Runs a job only when a {@link RateLimiter} admits it, per key computed from the job (e.g. the tenant in its
 * payload), or for all jobs alike ({@link #throttle}). Over the limit the job goes back to scheduled for
 * exactly the limiter's {@code retryAfter}: not a failed attempt, and no retry is used up. One round trip per
 * attempt. Thread-safe.
 */
public final class RateLimit implements JobMiddleware {

	private final RateLimiter limiter;

	private final Function<Job, String> key;

	private RateLimit(RateLimiter limiter, Function<Job, String> key) {
		this.limiter = Objects.requireNonNull(limiter, "limiter");
		this.key = key;
	}

	/** One limit per key: {@code key} maps a job to its sub-key of the limiter. */
	public static RateLimit perKey(RateLimiter limiter, Function<Job, String> key) {
		return new RateLimit(limiter, Objects.requireNonNull(key, "key"));
	}

	/** One limit shared by every job this middleware runs around. */
	public static RateLimit throttle(RateLimiter limiter) {
		return new RateLimit(limiter, null);
	}

	@Override
	public Object invoke(Invocation invocation) throws Exception {
		RateLimiter.Decision decision = (this.key != null) ? this.limiter.attempt(this.key.apply(invocation.job()))
				: this.limiter.attempt();
		if (!decision.allowed()) {
			return Decision.handBack(decision.retryAfter());
		}
		return invocation.proceed();
	}

}
