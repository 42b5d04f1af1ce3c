package dev.jobqueue.core.monitor;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

	/** The paused flag of each queue, in the given order; one round trip per queue. */
	public Map<String, Boolean> pausedFlags(Collection<String> queues) {
		Map<String, Boolean> flags = new LinkedHashMap<>();
		for (String queue : List.copyOf(queues)) {
			flags.put(queue, isPaused(queue));
		}
		return flags;
	}

	/** The key that holds the flag, for workers that read it themselves. */
	public String key(String queue) {
		return MonitorKeys.ofQueue(this.keyPrefix, queue, "paused");
	}

}
