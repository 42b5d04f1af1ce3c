package dev.jobqueue.core.lock;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.redis.RedisKeys;

/**
 * One grant of a {@link DistributedLock}: a lease with a fencing token. Release and extend are
 * owner-checked in Redis: once the lease has run out they change nothing and return {@code false}, so
 * they never touch the next holder's lock. Thread-safe.
 */
public final class Lock implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(Lock.class);

	private final DistributedLock locks;

	private final RedisKeys keys;

	private final long token;

	private final String value;

	private final Object monitor = new Object();

	private Duration lease;

	private ScheduledFuture<?> renewal;

	/** Local monotonic time before which the lease cannot have run out in Redis. */
	private long safeUntil;

	private boolean released;

	private boolean lost;

	Lock(DistributedLock locks, RedisKeys keys, long token, String value, Duration lease) {
		this.locks = locks;
		this.keys = keys;
		this.token = token;
		this.value = value;
		this.lease = lease;
		// Measured after the grant came back, so slightly late; keepAlive re-measures from each send.
		this.safeUntil = System.nanoTime() + lease.toNanos();
	}

	/** The lock's key as given to {@link DistributedLock}. */
	public String key() {
		return this.keys.name();
	}

	/** Larger than every token granted before for this key; pass it to whatever the lock protects. */
	public long fencingToken() {
		return this.token;
	}

	/**
	 * Releases the lock and wakes one waiter. Returns {@code false} when the lease had already run out
	 * (another holder may have the lock now, and it is left alone).
	 */
	public boolean release() {
		synchronized (this.monitor) {
			if (this.released) {
				return false;
			}
			this.released = true;
			cancelRenewal();
		}
		return this.locks.release(this.keys, this.value);
	}

	/** Sets the lease to {@code ttl} from now; {@code false} when the lease had already run out. */
	public boolean extend(Duration ttl) {
		RedisKeys.positive(ttl, "lock TTL");
		long sent = System.nanoTime();
		boolean extended = this.locks.extend(this.keys, this.value, ttl);
		synchronized (this.monitor) {
			if (extended) {
				this.lease = ttl;
				this.safeUntil = sent + ttl.toNanos();
			}
			else {
				this.lost = true;
			}
		}
		return extended;
	}

	/** Asks Redis whether this grant still holds the lock (one round trip). */
	public boolean isHeld() {
		return this.value.equals(this.locks.holder(this.keys));
	}

	/** Whether the watchdog (or an extend) found the lease gone. */
	public boolean isLost() {
		synchronized (this.monitor) {
			return this.lost;
		}
	}

	/**
	 * Starts a watchdog that extends the lease (by its current length) every third of it until
	 * {@link #release()}. If the lease is found gone, or cannot be renewed before it may have run out by
	 * the local monotonic clock, the lock is marked lost and {@code onLost} runs (once, on the watchdog
	 * thread). Returns this lock.
	 */
	public Lock keepAlive(Runnable onLost) {
		synchronized (this.monitor) {
			if (this.renewal != null || this.released) {
				return this;
			}
			long period = Math.max(this.lease.toMillis() / 3, 1);
			this.renewal = this.locks.watchdog().scheduleWithFixedDelay(() -> renew(onLost), period, period,
					TimeUnit.MILLISECONDS);
		}
		return this;
	}

	private void renew(Runnable onLost) {
		Duration ttl;
		synchronized (this.monitor) {
			if (this.released || this.lost) {
				return;
			}
			ttl = this.lease;
		}
		boolean held;
		try {
			held = extend(ttl);
		}
		catch (RuntimeException ex) {
			boolean expired;
			synchronized (this.monitor) {
				expired = System.nanoTime() - this.safeUntil >= 0;
				this.lost |= expired;
			}
			log.warn("Could not renew lock {} (token {}){}", key(), this.token,
					expired ? "; its lease may have run out, so it counts as lost" : "; will retry", ex);
			held = !expired;
		}
		if (!held) {
			synchronized (this.monitor) {
				cancelRenewal();
			}
			onLost.run();
		}
	}

	private void cancelRenewal() {
		if (this.renewal != null) {
			this.renewal.cancel(false);
			this.renewal = null;
		}
	}

	/** Same as {@link #release()}, for try-with-resources. */
	@Override
	public void close() {
		release();
	}

	@Override
	public String toString() {
		return "Lock[" + key() + ", token " + this.token + "]";
	}

}
