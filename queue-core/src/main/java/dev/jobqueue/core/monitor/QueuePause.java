package dev.jobqueue.core.monitor;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The paused flag of a queue: the key {@code <prefix>:{<queue>}:paused} exists while the queue is
 * paused. Setting it stops nothing by itself: workers must check it before leasing (they keep
 * running what they hold), and enqueueing goes on. Thread-safe.
 */
public final class QueuePause {

	private final UnifiedJedis redis;

	private final String keyPrefix;

	public QueuePause(UnifiedJedis redis, String keyPrefix) {
		this.redis = redis;
		this.keyPrefix = keyPrefix;
	}

	/** Pauses the queue; {@code false} when it was paused already. */
	public boolean pause(String queue) {
		return "OK".equals(this.redis.set(key(queue), "1", SetParams.setParams().nx()));
	}

	/** Resumes the queue; {@code false} when it was not paused. */
	public boolean resume(String queue) {
		return this.redis.del(key(queue)) == 1;
	}

	public boolean isPaused(String queue) {
		return this.redis.exists(key(queue));
	}

	/** The key that holds the flag, for workers that read it themselves. */
	public String key(String queue) {
		return MonitorKeys.ofQueue(this.keyPrefix, queue, "paused");
	}

}
