package dev.jobqueue.spring.queue;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import redis.clients.jedis.UnifiedJedis;

import java.util.List;

import dev.jobqueue.core.queue.JobQueue;
import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.shard.ShardedQueue;

/**
 * The application's configured queues, by name: {@link RedisJobQueue}s, or {@link ShardedQueue}s for queues with
 * {@code shards} above 1. Asking for a queue that is not configured is an
 * error that lists the configured ones. Thread-safe.
 */
public final class JobQueues implements AutoCloseable {

	private final UnifiedJedis redis;

	private final Map<String, JobQueue> byName;

	public JobQueues(UnifiedJedis redis, Collection<? extends JobQueue> queues) {
		this.redis = redis;
		Map<String, JobQueue> byName = new LinkedHashMap<>();
		queues.forEach((queue) -> byName.put(queue.name(), queue));
		this.byName = Collections.unmodifiableMap(byName);
	}

	public JobQueue get(String name) {
		JobQueue queue = this.byName.get(name);
		if (queue == null) {
			throw new IllegalArgumentException("No queue '" + name + "' is configured (configured: " + names()
					+ "); add it under jobqueue.queues." + name);
		}
		return queue;
	}

	/** Queue {@code name} when it is not sharded: for tools that need its store, keys or options. */
	public RedisJobQueue redisQueue(String name) {
		if (get(name) instanceof RedisJobQueue queue) {
			return queue;
		}
		throw new IllegalArgumentException("Queue '" + name + "' is sharded: use get(name), or its shards");
	}

	public boolean contains(String name) {
		return this.byName.containsKey(name);
	}

	public Collection<String> names() {
		return this.byName.keySet();
	}

	public Collection<JobQueue> all() {
		return this.byName.values();
	}

	/** The settings queue {@code name} was created with (those of its shards, for a sharded queue). */
	public QueueOptions options(String name) {
		JobQueue queue = get(name);
		return (queue instanceof ShardedQueue sharded) ? sharded.shards().get(0).options() : ((RedisJobQueue) queue).options();
	}

	/** The stores a worker runs a queue's jobs from: its one store, or its shards'. */
	public List<? extends JobStore> stores(String name) {
		JobQueue queue = get(name);
		return (queue instanceof ShardedQueue sharded) ? sharded.stores() : List.of(((RedisJobQueue) queue).store());
	}

	/** The Redis client every queue uses. */
	public UnifiedJedis redis() {
		return this.redis;
	}

	/** Closes the queues (a sharded queue stops refreshing its shards' sizes); the client belongs to its bean. */
	@Override
	public void close() {
		this.byName.values().forEach(JobQueue::close);
	}

}
