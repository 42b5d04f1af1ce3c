package dev.jobqueue.spring.queue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.jobqueue.core.queue.QueueStats;

/**
 * Queue counts read at most once per {@code maxAge} per queue, so that gauges read together in one
 * scrape cost one Redis round trip per queue. When Redis cannot be reached the last counts are kept.
 */
public final class QueueStatsCache {

	private record Entry(QueueStats stats, long readAtNanos) {
	}

	private static final QueueStats EMPTY = new QueueStats(0, 0, 0, 0, 0, 0, 0, 0);

	private final JobQueues queues;

	private final long maxAgeNanos;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	public QueueStatsCache(JobQueues queues, Duration maxAge) {
		this.queues = queues;
		this.maxAgeNanos = maxAge.toNanos();
	}

	public QueueStats get(String queue) {
		long now = System.nanoTime();
		Entry entry = this.entries.get(queue);
		if (entry == null || now - entry.readAtNanos() > this.maxAgeNanos) {
			try {
				entry = new Entry(this.queues.get(queue).stats(), now);
				this.entries.put(queue, entry);
			}
			catch (RuntimeException ex) {
				return (entry != null) ? entry.stats() : EMPTY;
			}
		}
		return entry.stats();
	}

}
