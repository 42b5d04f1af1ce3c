package dev.jobqueue.spring.monitor;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.jobqueue.core.monitor.WorkerInfo;
import dev.jobqueue.core.monitor.WorkerRegistry;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.spring.autoconfigure.JobQueueProperties;
import dev.jobqueue.spring.container.WorkerContainer;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;

/**
 * Reports this application's running workers to the {@link WorkerRegistry} every interval (time to
 * live: three intervals) and removes them when the application stops. Starts after the workers and
 * stops before them. A failed report is logged and retried at the next interval.
 */
public class WorkerHeartbeats implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(WorkerHeartbeats.class);

	private final WorkerRegistry registry;

	private final JobHandlerEndpointRegistry endpoints;

	private final JobQueueProperties properties;

	private final Duration interval;

	private final String host = hostName();

	private final long pid = ProcessHandle.current().pid();

	private final Instant startedAt = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());

	private final String version = version();

	private ScheduledExecutorService scheduler;

	public WorkerHeartbeats(WorkerRegistry registry, JobHandlerEndpointRegistry endpoints, JobQueueProperties properties,
			Duration interval) {
		this.registry = registry;
		this.endpoints = endpoints;
		this.properties = properties;
		this.interval = interval;
	}

	@Override
	public synchronized void start() {
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "jobqueue-worker-heartbeats");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleWithFixedDelay(this::report, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.scheduler == null) {
			return;
		}
		this.scheduler.shutdownNow();
		this.scheduler = null;
		for (WorkerContainer container : this.endpoints.containers()) {
			try {
				this.registry.remove(container.worker().id());
			}
			catch (RuntimeException ex) {
				logger.debug("Could not remove worker {} from the registry; it expires on its own", container.name(), ex);
			}
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		return JobHandlerEndpointRegistry.PHASE + 1;
	}

	/** Reports every running worker once. */
	public void report() {
		List<WorkerContainer> containers = this.endpoints.containers();
		for (WorkerContainer container : containers) {
			Worker worker = container.worker();
			if (!worker.isRunning()) {
				continue;
			}
			try {
				this.registry.heartbeat(new WorkerInfo(worker.id(), this.host, this.pid, container.queues(),
						concurrency(container.name()), worker.activeCount(), this.startedAt, this.version),
						this.interval.multipliedBy(3));
			}
			catch (RuntimeException ex) {
				logger.warn("Could not report worker {} to the registry: {}", worker.id(), ex.getMessage());
			}
		}
	}

	private int concurrency(String containerName) {
		JobQueueProperties.Pool pool = this.properties.getWorker().getPools().get(containerName);
		if (pool != null) {
			return pool.getConcurrency();
		}
		JobQueueProperties.Queue queue = this.properties.effectiveQueues().get(containerName);
		return (queue != null) ? queue.getConcurrency() : 0;
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown";
		}
	}

	static String version() {
		String version = Worker.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "dev";
	}

}
