package dev.jobqueue.core.monitor;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

import dev.jobqueue.core.queue.QueueKeys;

/**
 * The paused flag of a queue: the key {@code <prefix>:{<queue>}:paused} exists while the queue is
 * paused. The lease script honours it: workers lease nothing from a paused queue (they finish what they
 * hold), and enqueueing goes on. Thread-safe.
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
		boolean resumed = this.redis.del(key(queue)) == 1;
		if (resumed) {
			// Idle workers wait for a signal: jobs that arrived while paused are waiting now.
			String wake = QueueKeys.of(this.keyPrefix, queue).wake();
			this.redis.lpush(wake, "1");
			this.redis.ltrim(wake, 0, 31);
		}
		return resumed;
	}

	public boolean isPaused(String queue) {
		return this.redis.exists(key(queue));
	}

	/** The key that holds the flag, for workers that read it themselves. */
	public String key(String queue) {
		return QueueKeys.of(this.keyPrefix, queue).key("paused");
	}

}
