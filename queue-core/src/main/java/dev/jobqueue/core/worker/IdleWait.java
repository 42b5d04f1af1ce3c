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
import redis.clients.jedis.util.KeyValue;

import dev.jobqueue.core.queue.JobStore;

/**
 * How an idle worker waits for work without polling: it blocks on the stores' wake-up lists, which every
 * enqueue signals. Stores on one standalone client share one {@code BLPOP}; on Redis Cluster, where one
 * command cannot span slots, each store has its own. Each blocking wait runs on a waiter thread and the first
 * signal wakes the worker, which waits no longer than asked even when a connection went silent for good:
 * Redis clients read the reply of a blocking command with no timeout, so such a wait may never return, and
 * the worker then looks for work every round instead. Thread-safe for one fetching thread.
 */
final class IdleWait implements AutoCloseable {

	private record Group(UnifiedJedis redis, String[] keys, AtomicBoolean waiting) {
	}

	private final List<Group> groups;

	private final ExecutorService waiters;

	/** How long past its timeout a wait may take before the worker looks for work without it. */
	static final Duration GRACE = Duration.ofSeconds(1);

	/** Released by each wait that returns. */
	private final Semaphore returned = new Semaphore(0);

	private final AtomicBoolean signalled = new AtomicBoolean();

	private volatile boolean stopped;

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
		this.waiters = Executors.newCachedThreadPool(HandlerThreads.platformThreadFactory(threadPrefix + "wait-", true));
	}

	static boolean isCluster(UnifiedJedis redis) {
		return redis instanceof RedisClusterClient || redis instanceof JedisCluster;
	}

	/**
	 * Blocks until a wait returns, signalled or at {@code timeout}, or at most {@link #GRACE} longer. Returns
	 * {@code true} when the worker should look at its queues now: signalled, or a wait failed or is stuck on a
	 * silent connection (signals cannot be relied on then).
	 */
	boolean await(Duration timeout) throws InterruptedException {
		double seconds = Math.max(timeout.toMillis(), 10) / 1000.0;
		for (Group group : this.groups) {
			// A wait still blocked from an earlier round serves this one too.
			if (group.waiting().compareAndSet(false, true)) {
				this.waiters.execute(() -> {
					try {
						KeyValue<String, String> signal = group.redis().blpop(seconds, group.keys());
						if (signal != null && this.stopped) {
							group.redis().lpush(signal.getKey(), signal.getValue());
						}
						else if (signal != null) {
							this.signalled.set(true);
						}
					}
					catch (RuntimeException ex) {
						if (this.groups.size() == 1) {
							// The fetching thread meets the same failure on its next lease call and reports it.
							this.signalled.set(true);
						}
						else {
							// One server of several is down: this wait ends as a timed-out one would, and the others
							// still signal, instead of the worker looking again at once and trying it in a loop.
							pause(seconds);
						}
					}
					finally {
						group.waiting().set(false);
						this.returned.release();
					}
				});
			}
		}
		boolean returned = this.returned.tryAcquire(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
		this.returned.drainPermits();
		return this.signalled.getAndSet(false) || !returned;
	}

	/**
	 * Ends the current or next {@link #await} at once: the worker is stopping. A wait still blocked gives back
	 * a signal it takes later, so another worker on the queue is not left waiting for it.
	 */
	void stop() {
		this.stopped = true;
		this.signalled.set(true);
		this.returned.release();
	}

	private static void pause(double seconds) {
		try {
			Thread.sleep((long) (seconds * 1000));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.waiters.shutdownNow();
	}

}
