package dev.jobqueue.core.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.core.queue.JobStore;

/**
 * How an idle worker waits for work without polling: it blocks on the stores' wake-up lists, which every
 * enqueue signals. Stores on one standalone client share one {@code BLPOP}; on Redis Cluster, where one
 * command cannot span slots, each store has its own blocking wait on a waiter thread, and the first signal
 * wakes the worker. Thread-safe for one fetching thread.
 */
final class IdleWait implements AutoCloseable {

	private record Group(UnifiedJedis redis, String[] keys, AtomicBoolean waiting) {
	}

	private final List<Group> groups;

	private final ExecutorService waiters;

	private final Semaphore signals = new Semaphore(0);

	IdleWait(List<JobStore> stores, String threadPrefix) {
		Map<Object, List<String>> keysByGroup = new LinkedHashMap<>();
		Map<Object, UnifiedJedis> clients = new LinkedHashMap<>();
		for (JobStore store : stores) {
			UnifiedJedis redis = store.redis();
			Object group = isCluster(redis) ? store : redis;
			keysByGroup.computeIfAbsent(group, (key) -> new ArrayList<>()).add(store.keys().wake());
			clients.put(group, redis);
		}
		List<Group> groups = new ArrayList<>();
		keysByGroup.forEach((group, keys) -> groups.add(new Group(clients.get(group), keys.toArray(String[]::new),
				new AtomicBoolean())));
		this.groups = List.copyOf(groups);
		this.waiters = (groups.size() > 1)
				? Executors.newCachedThreadPool(HandlerThreads.platformThreadFactory(threadPrefix + "wait-", true)) : null;
	}

	static boolean isCluster(UnifiedJedis redis) {
		return redis instanceof RedisClusterClient || redis instanceof JedisCluster;
	}

	/** Blocks until some store signals work or {@code timeout} passes; {@code true} when signalled. */
	boolean await(Duration timeout) throws InterruptedException {
		double seconds = Math.max(timeout.toMillis(), 10) / 1000.0;
		if (this.waiters == null) {
			Group group = this.groups.get(0);
			return group.redis().blpop(seconds, group.keys()) != null;
		}
		for (Group group : this.groups) {
			// A wait still blocked from an earlier round serves this one too.
			if (group.waiting().compareAndSet(false, true)) {
				this.waiters.execute(() -> {
					try {
						if (group.redis().blpop(seconds, group.keys()) != null) {
							this.signals.release();
						}
					}
					catch (RuntimeException ex) {
						// The fetching thread meets the same failure on its next lease call and reports it.
					}
					finally {
						group.waiting().set(false);
					}
				});
			}
		}
		boolean signalled = this.signals.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
		this.signals.drainPermits();
		return signalled;
	}

	@Override
	public void close() {
		if (this.waiters != null) {
			this.waiters.shutdownNow();
		}
	}

}
