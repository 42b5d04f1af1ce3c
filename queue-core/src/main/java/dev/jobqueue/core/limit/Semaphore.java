package dev.jobqueue.core.limit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.jobqueue.core.redis.CoordinationRegistry;
import dev.jobqueue.core.redis.RedisKeys;
import dev.jobqueue.core.redis.RedisScript;
import redis.clients.jedis.UnifiedJedis;

/**
 * A counting semaphore on Redis whose permits are leases: never more than {@code limit} unexpired
 * permits at any instant of Redis's clock, whoever asks from however many JVMs; a permit whose holder
 * died comes back when its lease ends. Permit ids grow forever per key, so they can fence like a lock's
 * token. As with any lease, a holder paused past its lease no longer holds its permit without knowing.
 * <p>
 * The limit given here applies until someone calls {@link #setLimit}, which changes it for every
 * instance at once; lowering it below the permits held takes effect as they are released or expire.
 * Thread-safe; waiting blocks on a signal list (one pooled connection per waiter).
 */
public final class Semaphore {

	static final Duration FALLBACK_POLL = Duration.ofSeconds(1);

	static final Duration SIGNAL_TTL = Duration.ofSeconds(5);

	private static final RedisScript ACQUIRE = RedisScript.load(Semaphore.class, "semaphore_acquire");

	private static final RedisScript RELEASE = RedisScript.load(Semaphore.class, "semaphore_release");

	private static final RedisScript EXTEND = RedisScript.load(Semaphore.class, "semaphore_extend");

	private static final RedisScript AVAILABLE = RedisScript.load(Semaphore.class, "semaphore_available");

	private final UnifiedJedis redis;

	private final RedisKeys keys;

	private final int limit;

	private final String prefix;

	/** Whether this semaphore is listed for the dashboard. */
	private volatile boolean listed;

	public Semaphore(UnifiedJedis redis, String key, int limit) {
		this(redis, "jobqueue", key, limit);
	}

	/**
	 * @param redis the client; owned by the caller
	 * @param prefix the key prefix, as the queues use
	 * @param key the semaphore's name
	 * @param limit how many permits may be held at once, unless changed with {@link #setLimit}
	 */
	public Semaphore(UnifiedJedis redis, String prefix, String key, int limit) {
		this.redis = redis;
		this.keys = RedisKeys.of(prefix, "semaphore", key);
		this.prefix = prefix;
		this.limit = checkLimit(limit);
	}

	public String key() {
		return this.keys.name();
	}

	/** Takes a permit for {@code ttl} if one is free; returns at once (one round trip). */
	public Optional<Permit> acquire(Duration ttl) {
		RedisKeys.positive(ttl, "permit TTL");
		List<?> reply = attempt(ttl);
		if (RedisKeys.asLong(reply, 0) == 0) {
			return Optional.empty();
		}
		return Optional.of(new Permit(String.valueOf(RedisKeys.asLong(reply, 1)),
				Instant.ofEpochMilli(RedisKeys.asLong(reply, 2))));
	}

	/** Takes a permit, waiting up to {@code maxWait}; wakes when a permit is released or can have expired. */
	public Optional<Permit> tryAcquire(Duration ttl, Duration maxWait) throws InterruptedException {
		RedisKeys.positive(ttl, "permit TTL");
		if (maxWait == null || maxWait.isNegative()) {
			throw new IllegalArgumentException("A semaphore's maximum wait must be zero or positive, not " + maxWait);
		}
		long deadline = System.nanoTime() + maxWait.toNanos();
		while (true) {
			List<?> reply = attempt(ttl);
			if (RedisKeys.asLong(reply, 0) == 1) {
				return Optional.of(new Permit(String.valueOf(RedisKeys.asLong(reply, 1)),
						Instant.ofEpochMilli(RedisKeys.asLong(reply, 2))));
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return Optional.empty();
			}
			if (Thread.interrupted()) {
				throw new InterruptedException("Interrupted while waiting for a permit of " + key());
			}
			long waitMs = Math.min(TimeUnit.NANOSECONDS.toMillis(left), FALLBACK_POLL.toMillis());
			long firstExpiry = RedisKeys.asLong(reply, 1);
			if (firstExpiry >= 0) {
				waitMs = Math.min(waitMs, firstExpiry + 1);
			}
			this.redis.blpop(Math.max(waitMs, 10) / 1000.0, this.keys.key("signal"));
		}
	}

	/** Gives the permit back; {@code false} when it was unknown or had already expired. */
	public boolean release(String permitId) {
		return RedisKeys.asLong(RELEASE.run(this.redis, List.of(this.keys.key(), this.keys.key("signal")),
				List.of(permitId, String.valueOf(SIGNAL_TTL.toMillis())))) == 1;
	}

	/** Sets a held permit's lease to {@code ttl} from now; empty when it had already expired. */
	public Optional<Instant> extend(String permitId, Duration ttl) {
		RedisKeys.positive(ttl, "permit TTL");
		long expiry = RedisKeys.asLong(EXTEND.run(this.redis, List.of(this.keys.key()),
				List.of(permitId, String.valueOf(ttl.toMillis()))));
		return (expiry == 0) ? Optional.empty() : Optional.of(Instant.ofEpochMilli(expiry));
	}

	/** Free permits now (limit minus unexpired permits, never below zero). */
	public int available() {
		return (int) RedisKeys.asLong((List<?>) AVAILABLE.run(this.redis,
				List.of(this.keys.key(), this.keys.key("limit")), List.of(String.valueOf(this.limit))), 0);
	}

	/** The limit in force: the one set at run time, else the one given at construction. */
	public int limit() {
		return (int) RedisKeys.asLong((List<?>) AVAILABLE.run(this.redis,
				List.of(this.keys.key(), this.keys.key("limit")), List.of(String.valueOf(this.limit))), 1);
	}

	/** Changes the limit for every instance of this semaphore, in every JVM. */
	public void setLimit(int limit) {
		this.redis.set(this.keys.key("limit"), String.valueOf(checkLimit(limit)));
	}

	private List<?> attempt(Duration ttl) {
		if (!this.listed) {
			this.listed = CoordinationRegistry.register(this.redis, this.prefix, CoordinationRegistry.Kind.SEMAPHORE,
					key(), String.valueOf(this.limit));
		}
		return (List<?>) ACQUIRE.run(this.redis,
				List.of(this.keys.key(), this.keys.key("limit"), this.keys.key("ids")),
				List.of(String.valueOf(ttl.toMillis()), String.valueOf(this.limit)));
	}

	private static int checkLimit(int limit) {
		if (limit < 1) {
			throw new IllegalArgumentException("A semaphore's limit must be at least 1, not " + limit);
		}
		return limit;
	}

	/**
	 * A held permit.
	 * @param id the permit id, larger than every id handed out before for this semaphore
	 * @param expiresAt when the lease ends on Redis's clock unless extended
	 */
	public record Permit(String id, Instant expiresAt) {
	}

}
