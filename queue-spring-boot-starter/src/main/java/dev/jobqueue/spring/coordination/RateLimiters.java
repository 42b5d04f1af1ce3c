package dev.jobqueue.spring.coordination;

import java.util.Map;

import dev.jobqueue.core.limit.RateLimiter;

/** The rate limiters declared under {@code jobqueue.rate-limiters}, by name. Thread-safe. */
public class RateLimiters extends Named<RateLimiter> {

	public RateLimiters(Map<String, RateLimiter> limiters) {
		super("rate limiter", "jobqueue.rate-limiters", limiters);
	}

}
