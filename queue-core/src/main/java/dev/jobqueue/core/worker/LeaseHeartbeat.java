package dev.jobqueue.core.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.queue.ExtendResult;
import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.LeasedJob;

/**
 * Extends the leases of a worker's unsettled attempts, one script call per store, on its own thread so busy
 * handlers never delay it. A lease found lost stops its handler with nothing more written; a job cancelled
 * meanwhile is stopped and settled as cancelled. An attempt older than its timeout plus one lease is no
 * longer extended: a handler that hangs cannot keep its job forever.
 */
final class LeaseHeartbeat implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private final JobRunner runner;

	LeaseHeartbeat(JobRunner runner) {
		this.runner = runner;
	}

	@Override
	public void run() {
		try {
			long now = System.nanoTime();
			Map<JobStore, List<Attempt>> byStore = new LinkedHashMap<>();
			for (Attempt attempt : this.runner.attempts()) {
				long lease = attempt.store.options().leaseDuration().toNanos();
				if (!attempt.isOlderThan(attempt.timeout.toNanos() + lease, now)) {
					byStore.computeIfAbsent(attempt.store, (store) -> new ArrayList<>()).add(attempt);
				}
			}
			byStore.forEach(this::extend);
		}
		catch (Throwable ex) {
			// A scheduled task that throws is never run again: every lease would then expire.
			logger.error("Heartbeat failed; it runs again at the next interval", ex);
		}
	}

	private void extend(JobStore store, List<Attempt> attempts) {
		long sentAt = System.nanoTime();
		List<LeasedJob> leases = new ArrayList<>(attempts.size());
		attempts.forEach((attempt) -> leases.add(attempt.lease));
		ExtendResult result;
		try {
			result = store.extend(leases);
			this.runner.outage().succeeded();
		}
		catch (RuntimeException ex) {
			this.runner.outage().failed("heartbeat", ex);
			return;
		}
		long deadline = sentAt + store.options().leaseDuration().toNanos();
		for (Attempt attempt : attempts) {
			String id = attempt.lease.id();
			if (result.lost().contains(id)) {
				this.runner.leaseLost(attempt);
			}
			else {
				attempt.leaseDeadlineNanos = deadline;
				if (result.cancelled().contains(id)) {
					this.runner.cancelRequested(attempt);
				}
			}
		}
	}

}
