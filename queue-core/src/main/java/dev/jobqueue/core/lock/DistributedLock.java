package dev.jobqueue.core.lock;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.jobqueue.core.redis.CoordinationRegistry;
import dev.jobqueue.core.redis.RedisKeys;
import dev.jobqueue.core.redis.RedisScript;
import redis.clients.jedis.UnifiedJedis;

/**
 * Named leases on Redis, each grant carrying a fencing token that is larger than every token handed
 * out before for that key, by any holder, however long ago.
 * <p>
 * What it promises: at most one holder per key <em>as judged by Redis's clock</em>; a holder whose
 * lease ran out cannot release or extend someone else's lock. What it does not promise: mutual
 * exclusion across a pause (GC, SIGSTOP, network) longer than the lease: the paused holder wakes up
 * believing it still holds the lock. Pass {@link Lock#fencingToken()} to the protected resource and have
 * it refuse tokens lower than one it has seen ({@link FencedStore} on Redis, {@code UPDATE ... WHERE
 * fence < :token} in a database). Redis replication is asynchronous, so a failover can also lose a grant.
 * <p>
 * Thread-safe. Waiting ({@link #tryAcquire}) blocks on a per-key list that a release signals, so a waiter
 * holds a pooled connection while it waits: size the client's pool for the waiters. One daemon thread
 * renews watchdog locks; {@link #close()} stops it.
 */
public final class DistributedLock implements AutoCloseable {

	/** A waiter looks again at least this often, in case a wake-up signal went to someone else. */
	static final Duration FALLBACK_POLL = Duration.ofSeconds(1);

	/** An unread wake-up signal is dropped after this long. */
	static final Duration SIGNAL_TTL = Duration.ofSeconds(5);

	private static final RedisScript ACQUIRE = RedisScript.load(DistributedLock.class, "acquire");

	private static final RedisScript RELEASE = RedisScript.load(DistributedLock.class, "release");

	private static final RedisScript EXTEND = RedisScript.load(DistributedLock.class, "extend");

	private final UnifiedJedis redis;

	private final String prefix;

	private final LockListener listener;

	private final ScheduledExecutorService watchdog;

	/** Lock names listed for the dashboard by this instance. */
	private final Set<String> listed = ConcurrentHashMap.newKeySet();

	public DistributedLock(UnifiedJedis redis) {
		this(redis, "jobqueue", LockListener.NONE);
	}

	/**
	 * @param redis the client; owned by the caller
	 * @param prefix the key prefix, as the queues use
	 * @param listener told about waits (for metrics); called on the waiting thread
	 */
	public DistributedLock(UnifiedJedis redis, String prefix, LockListener listener) {
		this.redis = redis;
		this.prefix = RedisKeys.check(prefix, "key prefix");
		this.listener = listener;
		this.watchdog = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "jobqueue-lock-watchdog");
			thread.setDaemon(true);
			return thread;
		});
	}

	/** Takes the lock {@code key} for {@code ttl} if it is free; returns at once (one round trip). */
	public Optional<Lock> acquire(String key, Duration ttl) {
		RedisKeys.positive(ttl, "lock TTL");
		return Optional.ofNullable(attempt(keys(key), ttl).lock());
	}

	/**
	 * Takes the lock, waiting up to {@code maxWait} for it. The wait does not spin: it blocks until a
	 * release signals the key, the holder's lease can have run out, or {@link #FALLBACK_POLL} passes.
	 */
	public Optional<Lock> tryAcquire(String key, Duration ttl, Duration maxWait) throws InterruptedException {
		RedisKeys.positive(ttl, "lock TTL");
		if (maxWait == null || maxWait.isNegative()) {
			throw new IllegalArgumentException("A lock's maximum wait must be zero or positive, not " + maxWait);
		}
		RedisKeys keys = keys(key);
		long start = System.nanoTime();
		long deadline = start + maxWait.toNanos();
		while (true) {
			Attempt attempt = attempt(keys, ttl);
			long now = System.nanoTime();
			if (attempt.lock() != null || now - deadline >= 0) {
				this.listener.waited(key, Duration.ofNanos(now - start), attempt.lock() != null);
				return Optional.ofNullable(attempt.lock());
			}
			if (Thread.interrupted()) {
				throw new InterruptedException("Interrupted while waiting for lock " + key);
			}
			long waitMs = Math.min(TimeUnit.NANOSECONDS.toMillis(deadline - now), FALLBACK_POLL.toMillis());
			if (attempt.holderLeftMs() >= 0) {
				waitMs = Math.min(waitMs, attempt.holderLeftMs() + 1);
			}
			this.redis.blpop(Math.max(waitMs, 10) / 1000.0, keys.key("signal"));
		}
	}

	/**
	 * Runs {@code action} holding the lock (taken without waiting) and releases it however the action
	 * ends. A watchdog keeps the lease ({@code ttl}) alive while the action runs; if the lock is lost all
	 * the same (Redis unreachable for a whole lease, or the key deleted), the action's thread is
	 * interrupted and {@link LockLostException} is thrown once it returns.
	 * @throws LockUnavailableException when another holder has the lock
	 */
	public <T> T withLock(String key, Duration ttl, LockedAction<T> action) throws Exception {
		return withLock(key, ttl, Duration.ZERO, action);
	}

	/** As {@link #withLock(String, Duration, LockedAction)}, waiting up to {@code maxWait} for the lock. */
	public <T> T withLock(String key, Duration ttl, Duration maxWait, LockedAction<T> action) throws Exception {
		Lock lock = tryAcquire(key, ttl, maxWait)
			.orElseThrow(() -> new LockUnavailableException("Lock " + key + " is held by another holder"));
		Thread runner = Thread.currentThread();
		lock.keepAlive(runner::interrupt);
		T result;
		try {
			result = action.run(lock);
		}
		finally {
			lock.release();
		}
		if (lock.isLost()) {
			Thread.interrupted();
			throw new LockLostException("Lock " + key + " (token " + lock.fencingToken() + ") was lost while the "
					+ "action ran; its writes may overlap the next holder's");
		}
		return result;
	}

	/** Stops the watchdog thread; locks it was keeping alive then expire after their lease. */
	@Override
	public void close() {
		this.watchdog.shutdownNow();
	}

	private Attempt attempt(RedisKeys keys, Duration ttl) {
		if (this.listed.size() < CoordinationRegistry.MAX_NAMES && this.listed.add(keys.name())
				&& !CoordinationRegistry.register(this.redis, this.prefix, CoordinationRegistry.Kind.LOCK, keys.name(), "")) {
			this.listed.remove(keys.name());
		}
		String owner = UUID.randomUUID().toString();
		List<?> reply = (List<?>) ACQUIRE.run(this.redis, List.of(keys.key(), keys.key("token")),
				List.of(owner, String.valueOf(ttl.toMillis())));
		long value = RedisKeys.asLong(reply, 1);
		if (RedisKeys.asLong(reply, 0) == 1) {
			return new Attempt(new Lock(this, keys, value, value + ":" + owner, ttl), -1);
		}
		return new Attempt(null, value);
	}

	private RedisKeys keys(String key) {
		return RedisKeys.of(this.prefix, "lock", key);
	}

	boolean release(RedisKeys keys, String value) {
		return RedisKeys.asLong(RELEASE.run(this.redis, List.of(keys.key(), keys.key("signal")),
				List.of(value, String.valueOf(SIGNAL_TTL.toMillis())))) == 1;
	}

	boolean extend(RedisKeys keys, String value, Duration ttl) {
		return RedisKeys.asLong(EXTEND.run(this.redis, List.of(keys.key()), List.of(value,
				String.valueOf(ttl.toMillis())))) == 1;
	}

	String holder(RedisKeys keys) {
		return this.redis.get(keys.key());
	}

	ScheduledExecutorService watchdog() {
		return this.watchdog;
	}

	private record Attempt(Lock lock, long holderLeftMs) {
	}

}
