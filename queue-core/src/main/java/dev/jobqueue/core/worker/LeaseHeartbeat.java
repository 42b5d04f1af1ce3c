package dev.jobqueue.core.worker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.RedisJobQueue;

/**
 * Extends the leases of a worker's unfinished jobs, one script call per queue. Runs on its own
 * scheduler thread so busy handlers never delay it. A lease found lost is reported so that the
 * worker stops that handler and writes nothing more for the job.
 */
final class LeaseHeartbeat implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(LeaseHeartbeat.class);

	private final Collection<Execution> executions;

	private final Consumer<Execution> leaseLost;

	LeaseHeartbeat(Collection<Execution> executions, Consumer<Execution> leaseLost) {
		this.executions = executions;
		this.leaseLost = leaseLost;
	}

	@Override
	public void run() {
		try {
			Map<RedisJobQueue, List<Execution>> byQueue = new LinkedHashMap<>();
			for (Execution execution : this.executions) {
				byQueue.computeIfAbsent(execution.queue, (queue) -> new ArrayList<>()).add(execution);
			}
			byQueue.forEach(this::extend);
		}
		catch (Throwable ex) {
			// A scheduled task that throws is never run again: every lease would then expire.
			logger.error("Heartbeat failed; it runs again at the next interval", ex);
		}
	}

	private void extend(RedisJobQueue queue, List<Execution> executions) {
		long sentAt = System.nanoTime();
		List<LeasedJob> leases = new ArrayList<>(executions.size());
		executions.forEach((execution) -> leases.add(execution.leased));
		Set<String> lost;
		try {
			lost = queue.extend(leases);
		}
		catch (RuntimeException ex) {
			logger.warn("Heartbeat for {} jobs of queue '{}' failed: {}", leases.size(), queue.name(), ex.getMessage());
			return;
		}
		long deadline = sentAt + queue.options().leaseDuration().toNanos();
		for (Execution execution : executions) {
			if (lost.contains(execution.leased.id())) {
				this.leaseLost.accept(execution);
			}
			else {
				execution.leaseDeadlineNanos = deadline;
			}
		}
	}

}
