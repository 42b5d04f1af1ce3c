package dev.jobqueue.core.worker;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.queue.RedisJobQueue;

/** Removes finished jobs past their queue's retention (count and age) when no new job would trigger it. */
final class RetentionJanitor implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(RetentionJanitor.class);

	private final List<RedisJobQueue> queues;

	RetentionJanitor(List<RedisJobQueue> queues) {
		this.queues = queues;
	}

	@Override
	public void run() {
		for (RedisJobQueue queue : this.queues) {
			try {
				long removed;
				do {
					removed = queue.trim();
				}
				while (removed > 0);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not apply the retention of queue '{}': {}", queue.name(), ex.getMessage());
			}
		}
	}

}
