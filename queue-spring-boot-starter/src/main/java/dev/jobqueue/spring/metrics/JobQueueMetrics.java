package dev.jobqueue.spring.metrics;

import java.time.Duration;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.jobqueue.core.job.StopReason;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.QueueStats;
import dev.jobqueue.core.worker.JobExecutionListener;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.spring.queue.QueueStatsCache;

/**
 * Micrometer meters of the job queue: counters of completed, failed, retried, dead-lettered, handed-back
 * and cancelled jobs and timers of run and wait time (tagged queue and type), a counter of dead letters
 * removed by retention, and gauges of each queue's jobs per state. Outcomes are counted only once they are
 * written to Redis.
 */
public class JobQueueMetrics implements MeterBinder, JobExecutionListener {

	private final JobQueues queues;

	private final JobHandlerEndpointRegistry workers;

	private final QueueStatsCache stats;

	private volatile MeterRegistry registry;

	public JobQueueMetrics(JobQueues queues, JobHandlerEndpointRegistry workers) {
		this.queues = queues;
		this.workers = workers;
		this.stats = new QueueStatsCache(queues, Duration.ofSeconds(1));
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		for (String queue : this.queues.names()) {
			gauge(registry, queue, "pending", QueueStats::pending);
			gauge(registry, queue, "scheduled", QueueStats::scheduled);
			gauge(registry, queue, "active", QueueStats::active);
			gauge(registry, queue, "retrying", QueueStats::retrying);
			gauge(registry, queue, "dead", QueueStats::dead);
			gauge(registry, queue, "completed", QueueStats::completed);
		}
		Gauge.builder("jobqueue.worker.stuck.handlers", this.workers,
				(workers) -> workers.containers().stream().mapToInt((container) -> container.worker().stuckHandlers()).sum())
			.description("Abandoned handlers that ignore interrupts and still hold their thread")
			.register(registry);
	}

	private void gauge(MeterRegistry registry, String queue, String state, ToLongFunction<QueueStats> count) {
		Gauge.builder("jobqueue.queue.jobs", this.stats, (cache) -> count.applyAsLong(cache.get(queue)))
			.description("Jobs in the queue, by state")
			.tags("queue", queue, "state", state)
			.register(registry);
	}

	@Override
	public void onStarted(LeasedJob job, Duration waited) {
		MeterRegistry registry = this.registry;
		if (registry != null) {
			Timer.builder("jobqueue.job.wait").description("Time a job waited before it started")
				.tags(tags(job)).register(registry).record(waited);
		}
	}

	@Override
	public void onCompleted(LeasedJob job, Duration took) {
		count("jobqueue.jobs.completed", "Jobs completed", job);
		time(job, took, "completed");
	}

	@Override
	public void onRetrying(LeasedJob job, Throwable error, Duration retryDelay, Duration took) {
		count("jobqueue.jobs.failed", "Failed attempts", job);
		count("jobqueue.jobs.retried", "Failed attempts that will be retried", job);
		time(job, took, "failed");
	}

	@Override
	public void onDeadLettered(LeasedJob job, Throwable error, Duration took) {
		count("jobqueue.jobs.failed", "Failed attempts", job);
		count("jobqueue.jobs.dead", "Jobs moved to the dead-letter queue", job);
		time(job, took, "failed");
	}

	@Override
	public void onHandedBack(LeasedJob job, StopReason reason) {
		count("jobqueue.jobs.handed.back", "Jobs a worker gave back without a failure", job);
	}

	@Override
	public void onCancelled(LeasedJob job) {
		count("jobqueue.jobs.cancelled", "Jobs cancelled while they ran", job);
	}

	@Override
	public void onDeadLettersTrimmed(String queue, long count) {
		MeterRegistry registry = this.registry;
		if (registry != null) {
			Counter.builder("jobqueue.dead.trimmed").description("Dead letters removed by the dead-letter retention")
				.tags("queue", queue).register(registry).increment(count);
		}
	}

	private void count(String name, String description, LeasedJob job) {
		MeterRegistry registry = this.registry;
		if (registry != null) {
			Counter.builder(name).description(description).tags(tags(job)).register(registry).increment();
		}
	}

	private void time(LeasedJob job, Duration took, String outcome) {
		MeterRegistry registry = this.registry;
		if (registry != null) {
			Timer.builder("jobqueue.job.duration").description("Time a job's attempt ran")
				.tags(tags(job).and("outcome", outcome)).register(registry).record(took);
		}
	}

	private static Tags tags(LeasedJob job) {
		return Tags.of("queue", job.queue(), "type", (job.job() != null) ? job.job().type() : "unreadable");
	}

}
