package dev.jobqueue.spring.health;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.jobqueue.core.queue.QueueStats;
import dev.jobqueue.core.queue.JobQueue;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.spring.container.WorkerContainer;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.queue.JobQueues;

/**
 * UP when Redis answers and this node's workers run; DOWN when Redis is unreachable, a worker stopped
 * or failed while the application runs, or a worker has as many stuck handlers (abandoned, ignoring
 * interrupts) as it covers. Details list each queue's counts and each worker's state.
 */
public class JobQueueHealthIndicator extends AbstractHealthIndicator {

	private final JobQueues queues;

	private final JobHandlerEndpointRegistry registry;

	private final boolean workersEnabled;

	public JobQueueHealthIndicator(JobQueues queues, JobHandlerEndpointRegistry registry, boolean workersEnabled) {
		super("Job queue health check failed");
		this.queues = queues;
		this.registry = registry;
		this.workersEnabled = workersEnabled;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		this.queues.redis().ping();
		Map<String, Object> counts = new LinkedHashMap<>();
		for (JobQueue queue : this.queues.all()) {
			QueueStats stats = queue.stats();
			counts.put(queue.name(), Map.of("ready", stats.pending(), "scheduled", stats.scheduled(), "active",
					stats.active(), "retrying", stats.retrying(), "dead", stats.dead()));
		}
		builder.up().withDetail("queues", counts);
		if (!this.workersEnabled) {
			builder.withDetail("workers", "disabled on this node (jobqueue.worker.enabled=false)");
			return;
		}
		Map<String, Object> workers = new LinkedHashMap<>();
		boolean healthy = true;
		for (WorkerContainer container : this.registry.containers()) {
			Worker worker = container.worker();
			Map<String, Object> detail = new LinkedHashMap<>();
			if (worker.failure() != null) {
				detail.put("state", "failed");
				detail.put("error", worker.failure().toString());
				healthy = false;
			}
			else {
				detail.put("state", container.isRunning() ? "running" : "stopped");
				healthy &= container.isRunning();
			}
			detail.put("stuckHandlers", worker.stuckHandlers());
			if (worker.stuckHandlers() > 0 && worker.stuckHandlers() >= worker.maxStuckHandlers()) {
				detail.put("problem", "as many handlers ignore interrupts as the worker covers: it runs fewer jobs");
				healthy = false;
			}
			workers.put(container.name(), detail);
		}
		builder.withDetail("workers", workers);
		if (this.registry.isRunning() && !healthy) {
			builder.down();
		}
	}

}
