package dev.jobqueue.cli;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

import dev.jobqueue.core.monitor.QueueMetricsRecorder;
import dev.jobqueue.core.monitor.QueuePause;
import dev.jobqueue.core.monitor.ThroughputCounters;
import dev.jobqueue.core.monitor.WorkerInfo;
import dev.jobqueue.core.monitor.WorkerRegistry;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.worker.JobExecutionListener;
import dev.jobqueue.core.worker.Worker;

/**
 * {@code jobqueue work}: runs a worker in this process for the built-in job types only ({@code noop},
 * {@code echo}, {@code sleep}): a command line cannot load an application's handlers, and it takes no
 * class names. Jobs of other types fail with "no handler" and follow their retry policy, so point it
 * only at queues that hold these types (smoke tests, load tests, draining test queues). Paused queues
 * are left out when it starts.
 */
@Command(name = "work", description = { "Run a worker for the built-in job types: noop (does nothing), echo (stores "
		+ "the payload as the result), sleep ({\"ms\": N}, at most 1 h).",
		"Jobs of any other type fail with 'no handler' and are retried or dead-lettered: use it only on queues that "
				+ "hold these types." })
class WorkCommand implements Callable<Integer> {

	static final Duration HEARTBEAT = Duration.ofSeconds(5);

	@ParentCommand
	JobQueueCli cli;

	@Spec
	CommandSpec spec;

	@Option(names = "--queue", split = ",", required = true, paramLabel = "QUEUE",
			description = "Queues in priority order, e.g. --queue=high,default,low.")
	List<String> queues;

	@Option(names = "--concurrency", defaultValue = "10", description = "Jobs at once, 1 to 1000 (default: ${DEFAULT-VALUE}).")
	int concurrency;

	@Option(names = "--max-jobs", defaultValue = "0", description = "Stop after this many jobs (default: 0, no limit).")
	long maxJobs;

	@Option(names = "--stop-when-empty", description = "Stop once no job is pending or running.")
	boolean stopWhenEmpty;

	/** A {@code sleep} job's payload. */
	record Sleep(long ms) {
	}

	@Override
	public Integer call() throws InterruptedException {
		if (this.concurrency < 1 || this.concurrency > 1000 || this.maxJobs < 0) {
			throw new IllegalArgumentException("--concurrency must be 1 to 1000 and --max-jobs zero or more");
		}
		QueuePause pause = new QueuePause(this.cli.redis(), this.cli.prefix);
		List<RedisJobQueue> queues = new ArrayList<>();
		for (String name : this.cli.queueNames(this.queues)) {
			if (pause.isPaused(name)) {
				this.spec.commandLine().getErr().println("jobqueue: queue " + name + " is paused; leaving it out");
			}
			else {
				queues.add(this.cli.plainQueue(name));
			}
		}
		Output output = this.cli.output(this.spec);
		if (queues.isEmpty()) {
			this.spec.commandLine().getErr().println("jobqueue: every queue named is paused; nothing to do");
			return JobQueueCli.OK;
		}
		AtomicLong completed = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		JobExecutionListener counting = new JobExecutionListener() {
			@Override
			public void onCompleted(LeasedJob job, Duration took) {
				completed.incrementAndGet();
			}

			@Override
			public void onRetrying(LeasedJob job, Throwable error, Duration retryDelay, Duration took) {
				failed.incrementAndGet();
			}

			@Override
			public void onDeadLettered(LeasedJob job, Throwable error, Duration took) {
				failed.incrementAndGet();
			}
		};
		WorkerRegistry registry = this.cli.registry();
		ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "jobqueue-cli-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		try (QueueMetricsRecorder recorder = new QueueMetricsRecorder(new ThroughputCounters(this.cli.redis(), this.cli.prefix))
			.start(Duration.ofSeconds(1))) {
			Worker worker = Worker.builder(queues)
				.concurrency(this.concurrency)
				.maxJobs(this.maxJobs)
				.stopWhenEmpty(this.stopWhenEmpty)
				.listener(new Listeners(recorder, counting))
				.handle("noop", JsonNode.class, (payload, context) -> {
				})
				.handleWithResult("echo", JsonNode.class, (payload, context) -> payload)
				.handle("sleep", Sleep.class, (payload, context) -> {
					if (payload.ms() < 0 || payload.ms() > 3_600_000) {
						throw new IllegalArgumentException("A sleep job's ms must be 0 to 3600000, not " + payload.ms());
					}
					Thread.sleep(payload.ms());
				})
				.build();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> worker.stop(Duration.ofSeconds(30)), "jobqueue-cli-stop"));
			worker.start();
			WorkerInfo info = new WorkerInfo(worker.id(), host(), ProcessHandle.current().pid(),
					queues.stream().map(RedisJobQueue::name).toList(), this.concurrency, 0,
					Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()), "cli");
			heartbeats.scheduleWithFixedDelay(() -> {
				try {
					registry.heartbeat(new WorkerInfo(info.id(), info.host(), info.pid(), info.queues(), info.concurrency(),
							worker.activeCount(), info.startedAt(), info.version()), HEARTBEAT.multipliedBy(3));
				}
				catch (RuntimeException ex) {
					// Redis briefly away: the next heartbeat tries again.
				}
			}, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
			while (!worker.awaitTermination(Duration.ofSeconds(1))) {
				// Runs until max-jobs, an empty queue with --stop-when-empty, or a signal.
			}
			heartbeats.shutdownNow();
			registry.remove(worker.id());
		}
		if (output.isJson()) {
			output.json(Output.object().put("completed", completed.get()).put("failed", failed.get()));
		}
		else {
			output.line("Worker stopped: " + completed.get() + " job(s) completed, " + failed.get() + " failed.");
		}
		return JobQueueCli.OK;
	}

	private static String host() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown";
		}
	}

	/** Both listeners, in order. */
	private record Listeners(JobExecutionListener first, JobExecutionListener second) implements JobExecutionListener {

		@Override
		public void onStarted(LeasedJob job, Duration waited) {
			this.first.onStarted(job, waited);
			this.second.onStarted(job, waited);
		}

		@Override
		public void onCompleted(LeasedJob job, Duration took) {
			this.first.onCompleted(job, took);
			this.second.onCompleted(job, took);
		}

		@Override
		public void onRetrying(LeasedJob job, Throwable error, Duration retryDelay, Duration took) {
			this.first.onRetrying(job, error, retryDelay, took);
			this.second.onRetrying(job, error, retryDelay, took);
		}

		@Override
		public void onDeadLettered(LeasedJob job, Throwable error, Duration took) {
			this.first.onDeadLettered(job, error, took);
			this.second.onDeadLettered(job, error, took);
		}

	}

}
