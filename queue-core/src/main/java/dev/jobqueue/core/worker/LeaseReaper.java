package dev.jobqueue.core.worker;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.queue.ReapResult;
import dev.jobqueue.core.queue.RedisJobQueue;

/**
 * Puts back to pending the jobs whose lease expired because their worker died or hung, and applies
 * the retention limits. Every worker runs one; each expired lease is claimed inside a script, so
 * reapers racing each other reclaim a job once.
 */
final class LeaseReaper implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(LeaseReaper.class);

	private static final int LIMIT = 1_000;

	private final List<RedisJobQueue> queues;

	LeaseReaper(List<RedisJobQueue> queues) {
		this.queues = queues;
	}

	@Override
	public void run() {
		for (RedisJobQueue queue : this.queues) {
			try {
				ReapResult result;
				do {
					result = queue.reapExpiredLeases(LIMIT);
					if (!result.reclaimed().isEmpty()) {
						logger.info("Queue '{}': {} jobs whose lease expired (worker died or hung) will run again: {}",
								queue.name(), result.reclaimed().size(), abbreviate(result.reclaimed()));
					}
					if (!result.deadLettered().isEmpty()) {
						logger.warn("Queue '{}': {} jobs dead-lettered after their lease expired too many times: {}",
								queue.name(), result.deadLettered().size(), abbreviate(result.deadLettered()));
					}
				}
				while (result.reclaimed().size() + result.deadLettered().size() == LIMIT);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not reclaim expired leases of queue '{}': {}", queue.name(), ex.getMessage());
			}
		}
	}

	private static String abbreviate(List<String> ids) {
		return (ids.size() <= 10) ? ids.toString() : ids.subList(0, 10) + " and " + (ids.size() - 10) + " more";
	}

}
