package dev.jobqueue.core.worker;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.ReapResult;

/**
 * Reclaims jobs whose lease expired unfinished because their worker died, hung or lost Redis. Every worker
 * runs one; each expired lease is claimed inside a script, so reapers racing each other reclaim a job once.
 */
final class LeaseReaper implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private static final int LIMIT = 1_000;

	private final List<JobStore> stores;

	private final RedisOutageLog outage;

	LeaseReaper(List<JobStore> stores, RedisOutageLog outage) {
		this.stores = stores;
		this.outage = outage;
	}

	@Override
	public void run() {
		for (JobStore store : this.stores) {
			try {
				ReapResult result;
				do {
					result = store.reap(LIMIT);
					this.outage.succeeded();
					if (!result.reclaimed().isEmpty()) {
						logger.info("Queue '{}': {} jobs whose lease expired unfinished (worker died, hung or lost Redis) "
								+ "run again: {}", store.queue(), result.reclaimed().size(), JobRunner.abbreviate(result.reclaimed()));
					}
					if (!result.deadLettered().isEmpty()) {
						logger.warn("Queue '{}': {} jobs dead-lettered as poison pills, their lease having expired "
								+ "unfinished too many times: {}", store.queue(), result.deadLettered().size(),
								JobRunner.abbreviate(result.deadLettered()));
					}
					if (!result.cancelled().isEmpty()) {
						logger.info("Queue '{}': {} cancelled jobs whose worker stopped answering are now cancelled: {}",
								store.queue(), result.cancelled().size(), JobRunner.abbreviate(result.cancelled()));
					}
				}
				while (result.size() == LIMIT);
			}
			catch (RuntimeException ex) {
				this.outage.failed("reclaiming expired leases", ex);
			}
		}
	}

}
