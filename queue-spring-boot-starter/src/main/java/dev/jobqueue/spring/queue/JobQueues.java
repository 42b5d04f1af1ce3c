package dev.jobqueue.spring.queue;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.core.queue.RedisJobQueue;

/**
 * The application's configured queues, by name. Asking for a queue that is not configured is an
 * error that lists the configured ones. Thread-safe.
 */
public final class JobQueues {

	private final UnifiedJedis redis;

	private final Map<String, RedisJobQueue> byName;

	public JobQueues(UnifiedJedis redis, Collection<RedisJobQueue> queues) {
		this.redis = redis;
		Map<String, RedisJobQueue> byName = new LinkedHashMap<>();
		queues.forEach((queue) -> byName.put(queue.name(), queue));
		this.byName = java.util.Collections.unmodifiableMap(byName);
	}

	public RedisJobQueue get(String name) {
		RedisJobQueue queue = this.byName.get(name);
		if (queue == null) {
			throw new IllegalArgumentException("No queue '" + name + "' is configured (configured: " + names()
					+ "); add it under jobqueue.queues." + name);
		}
		return queue;
	}

	public boolean contains(String name) {
		return this.byName.containsKey(name);
	}

	public Collection<String> names() {
		return this.byName.keySet();
	}

	public Collection<RedisJobQueue> all() {
		return this.byName.values();
	}

	/** The Redis client every queue uses. */
	public UnifiedJedis redis() {
		return this.redis;
	}

}
