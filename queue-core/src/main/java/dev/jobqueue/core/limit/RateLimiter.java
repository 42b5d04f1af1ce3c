package dev.jobqueue.core.limit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.jobqueue.core.redis.CoordinationRegistry;
import dev.jobqueue.core.redis.RedisKeys;
import dev.jobqueue.core.redis.RedisScript;
import redis.clients.jedis.UnifiedJedis;

/**
 * A rate limiter on Redis: <em>at most {@code limit} requests are admitted in any window of length
 * {@code window}</em> (a sliding window, judged by Redis's clock), however many JVMs ask. It is GCRA
 * (the generic cell rate algorithm): one script, one number per limited key (O(1) memory, expiring
 * when idle), an exact {@link Decision#retryAfter()} instead of blind back-off, and no burst of twice
 * the limit at a window edge as fixed windows allow. A sliding-window log would be just as exact but keep
 * one entry per admitted request.
 * <p>
 * {@code burst} is how many requests may pass back to back. With a burst of 1 (the default) requests
 * are spaced {@code window / limit} apart, which admits the full {@code limit} per window. A larger burst
 * lets more through at once and, to keep the window promise, lowers the sustained rate to
 * {@code (limit - burst + 1)} per window. {@link #attempt(String)} keeps a separate limit per sub-key
 * (e.g. per tenant) with the same settings. Thread-safe; one round trip per attempt.
 */
public final class RateLimiter {

	private static final RedisScript GCRA = RedisScript.load(RateLimiter.class, "gcra");

	private final UnifiedJedis redis;

	private final String prefix;

	private final String key;

	private final int limit;

	private final Duration window;

	private final int burst;

	private final long intervalMicros;

	private final long toleranceMicros;

	private final Listener listener;

	/** Whether this limiter is listed for the dashboard (its sub-keys are not). */
	private volatile boolean listed;

	public RateLimiter(UnifiedJedis redis, String key, int limit, Duration window) {
		this(redis, "jobqueue", key, limit, window, 1, Listener.NONE);
	}

	/**
	 * @param redis the client; owned by the caller
	 * @param prefix the key prefix, as the queues use
	 * @param key the limiter's name
	 * @param limit most requests admitted in any window
	 * @param window the window's length (at least a millisecond)
	 * @param burst how many may pass back to back, 1 to {@code limit}
	 * @param listener told about every decision (for metrics), on the calling thread
	 */
	public RateLimiter(UnifiedJedis redis, String prefix, String key, int limit, Duration window, int burst,
			Listener listener) {
		this.redis = redis;
		this.prefix = RedisKeys.check(prefix, "key prefix");
		this.key = RedisKeys.check(key, "rate limiter name");
		if (limit < 1) {
			throw new IllegalArgumentException("A rate limiter's limit must be at least 1, not " + limit);
		}
		RedisKeys.positive(window, "rate limiter window");
		if (burst < 1 || burst > limit) {
			throw new IllegalArgumentException("A rate limiter's burst must be between 1 and its limit (" + limit
					+ "), not " + burst);
		}
		this.limit = limit;
		this.window = window;
		this.burst = burst;
		long windowMicros = window.toNanos() / 1000;
		int slots = limit - burst + 1;
		// Rounded up: a slightly slower rate never breaks the window promise.
		this.intervalMicros = (windowMicros + slots - 1) / slots;
		this.toleranceMicros = (burst - 1) * this.intervalMicros;
		this.listener = listener;
	}

	public String key() {
		return this.key;
	}

	public int limit() {
		return this.limit;
	}

	public Duration window() {
		return this.window;
	}

	public int burst() {
		return this.burst;
	}

	/** Asks to admit one request. */
	public Decision attempt() {
		return decide(this.key, RedisKeys.of(this.prefix, "ratelimit", this.key).key());
	}

	/** Asks to admit one request for {@code subKey} (e.g. a tenant), limited on its own. */
	public Decision attempt(String subKey) {
		RedisKeys.check(subKey, "rate limiter sub-key");
		return decide(subKey, RedisKeys.of(this.prefix, "ratelimit", this.key + ":" + subKey).key());
	}

	private Decision decide(String subject, String redisKey) {
		if (!this.listed) {
			this.listed = CoordinationRegistry.register(this.redis, this.prefix, CoordinationRegistry.Kind.RATE_LIMITER,
					this.key, this.limit + " " + this.window.toMillis() + " " + this.burst);
		}
		List<?> reply = (List<?>) GCRA.run(this.redis, List.of(redisKey),
				List.of(String.valueOf(this.intervalMicros), String.valueOf(this.toleranceMicros)));
		long micros = RedisKeys.asLong(reply, 3);
		Decision decision = new Decision(RedisKeys.asLong(reply, 0) == 1, (int) RedisKeys.asLong(reply, 1),
				Duration.ofNanos(RedisKeys.asLong(reply, 2) * 1000),
				Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000));
		this.listener.decided(this.key, subject, decision);
		return decision;
	}

	/**
	 * The answer to one attempt.
	 * @param allowed whether the request is admitted
	 * @param remaining how many more would be admitted right now
	 * @param retryAfter how long until a denied request would be admitted (zero when allowed)
	 * @param decidedAt Redis's time of the decision (microseconds)
	 */
	public record Decision(boolean allowed, int remaining, Duration retryAfter, Instant decidedAt) {
	}

	/** Told about every decision; must not throw or block. */
	@FunctionalInterface
	public interface Listener {

		Listener NONE = (limiter, subject, decision) -> {
		};

		void decided(String limiter, String subject, Decision decision);

	}

}
