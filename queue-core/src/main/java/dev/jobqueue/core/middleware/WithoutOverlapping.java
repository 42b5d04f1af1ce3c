package dev.jobqueue.core.middleware;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.Effect;
import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.RedisJobStore;
import dev.jobqueue.core.redis.RedisScript;

/**
 * Jobs with the same key never run at the same time, across all workers of the queue. The running job claims
 * the key with its lease: the claim counts only while that lease is held, so it lapses by itself when the
 * worker dies (its lease runs out) and is deleted by the script that settles the attempt. A job that finds
 * the key taken goes back to scheduled for {@code retryAfter}, without a failed attempt. One round trip per
 * attempt. Thread-safe.
 */
public final class WithoutOverlapping implements JobMiddleware {

	private static final RedisScript CLAIM = RedisScript.load(RedisJobStore.class, "flow_overlap");

	private final Function<Job, String> key;

	private final Duration retryAfter;

	public WithoutOverlapping(Function<Job, String> key, Duration retryAfter) {
		this.key = Objects.requireNonNull(key, "key");
		if (retryAfter == null || retryAfter.isNegative()) {
			throw new IllegalArgumentException("retryAfter must be zero or positive");
		}
		this.retryAfter = retryAfter;
	}

	/** Jobs with the same key wait 1 s between looks. */
	public WithoutOverlapping(Function<Job, String> key) {
		this(key, Duration.ofSeconds(1));
	}

	@Override
	public Object invoke(Invocation invocation) throws Exception {
		JobStore store = invocation.store();
		if (!(store instanceof RedisJobStore redis)) {
			throw new IllegalStateException("WithoutOverlapping needs a RedisJobStore, not " + store);
		}
		String claim = store.keys().custom("overlap:" + this.key.apply(invocation.job()));
		Object taken = redis.execute(CLAIM, List.of(claim),
				List.of(invocation.lease().id(), String.valueOf(invocation.lease().token())));
		if (((Long) taken) == 0) {
			return Decision.handBack(this.retryAfter);
		}
		invocation.onSettle(Effect.delete(claim));
		return invocation.proceed();
	}

}
