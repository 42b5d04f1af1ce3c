package dev.jobqueue.spring.handler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.worker.JobExecutionListener;
import dev.jobqueue.core.worker.RetryPolicy;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.spring.autoconfigure.JobQueueProperties;
import dev.jobqueue.spring.container.WorkerContainer;
import dev.jobqueue.spring.queue.JobQueues;

/**
 * Holds every {@code @JobHandler} endpoint and runs the application's workers. Endpoints are
 * registered while beans are created; workers are built once all exist and start late in the
 * lifecycle (after everything handlers use) and stop early, letting running jobs finish within the
 * shutdown timeout. The only lifecycle bean of the job queue. Thread-safe.
 */
public class JobHandlerEndpointRegistry implements SmartLifecycle {

	/** Start after, and stop before, the beans handlers use. */
	public static final int PHASE = Integer.MAX_VALUE - 100;

	private static final Logger logger = LoggerFactory.getLogger(JobHandlerEndpointRegistry.class);

	private final Map<String, MethodJobHandlerEndpoint> endpoints = new ConcurrentHashMap<>();

	private final JobQueueProperties properties;

	private final JobQueues queues;

	private final RetryPolicy retryPolicy;

	private final Supplier<JobExecutionListener> listener;

	private final List<WorkerContainer> containers = new ArrayList<>();

	private volatile boolean running;

	private JobExecutionInterceptor interceptor = JobExecutionInterceptor.NONE;

	private boolean virtualThreads;

	public JobHandlerEndpointRegistry(JobQueueProperties properties, JobQueues queues, RetryPolicy retryPolicy,
			Supplier<JobExecutionListener> listener) {
		this.properties = properties;
		this.queues = queues;
		this.retryPolicy = retryPolicy;
		this.listener = listener;
	}

	/** Adds an endpoint; a second handler for a type, or a queue that is not configured, fails with the fix. */
	public void register(MethodJobHandlerEndpoint endpoint) {
		if (!this.queues.contains(endpoint.queue())) {
			throw new JobHandlerDefinitionException("@JobHandler method " + endpoint.describe() + " uses queue '"
					+ endpoint.queue() + "', which is not configured (configured: " + this.queues.names() + ").", "Add "
					+ "jobqueue.queues." + endpoint.queue() + " to the configuration or name a configured queue.");
		}
		MethodJobHandlerEndpoint existing = this.endpoints.putIfAbsent(endpoint.type(), endpoint);
		if (existing != null) {
			throw new JobHandlerDefinitionException("Job type '" + endpoint.type() + "' has two handlers: "
					+ existing.describe() + " and " + endpoint.describe() + ".", "A job type has exactly one "
					+ "@JobHandler; rename the type of one of them.");
		}
	}

	/** What runs around every attempt of every handler (MDC, tracing, execution logs); set before start. */
	public void setInterceptor(JobExecutionInterceptor interceptor) {
		this.interceptor = interceptor;
	}

	/** Whether handlers run on virtual threads, where the JDK has them; set before start. */
	public void setVirtualThreads(boolean virtualThreads) {
		this.virtualThreads = virtualThreads;
	}

	public Optional<MethodJobHandlerEndpoint> endpoint(String type) {
		return Optional.ofNullable(this.endpoints.get(type));
	}

	public Collection<MethodJobHandlerEndpoint> endpoints() {
		return this.endpoints.values();
	}

	/** The application's workers; empty on a node with {@code jobqueue.worker.enabled=false}. */
	public synchronized List<WorkerContainer> containers() {
		return List.copyOf(this.containers);
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		if (this.properties.getWorker().isEnabled()) {
			JobExecutionListener listener = this.listener.get();
			createContainers().forEach((name, queues) -> this.containers.add(create(name, queues, listener)));
			this.containers.forEach((container) -> container.worker().start());
			logger.info("Job queue workers started: {} handling job types {} on {} threads", this.containers.stream()
				.map((container) -> container.name() + " " + container.queues()).toList(), this.endpoints.keySet(),
					this.virtualThreads ? "virtual" : "platform");
		}
		this.running = true;
	}

	/** Stops every worker and returns once they have stopped. */
	@Override
	public void stop() {
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		try {
			stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stop(Runnable callback) {
		List<WorkerContainer> stopping;
		synchronized (this) {
			this.running = false;
			stopping = List.copyOf(this.containers);
			this.containers.clear();
		}
		Duration timeout = this.properties.getWorker().getShutdownTimeout();
		// Workers stop in parallel, each on a thread of its own (not a shared pool that may have one
		// thread), so that the shutdown timeout applies once, not once per worker.
		CompletableFuture<?>[] stopped = stopping.stream().map((container) -> {
			CompletableFuture<Void> done = new CompletableFuture<>();
			Thread thread = new Thread(() -> {
				try {
					container.worker().stop(timeout);
				}
				finally {
					done.complete(null);
				}
			}, "jobqueue-stop-" + container.name());
			thread.start();
			return done;
		}).toArray(CompletableFuture[]::new);
		CompletableFuture.allOf(stopped).whenComplete((result, error) -> callback.run());
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** Pools first, then one worker for each configured queue that is in no pool. */
	private Map<String, List<String>> createContainers() {
		Map<String, List<String>> containers = new LinkedHashMap<>();
		Set<String> pooled = new LinkedHashSet<>();
		this.properties.getWorker().getPools().forEach((name, pool) -> {
			pool.getQueues().forEach(this.queues::get);
			containers.put(name, pool.getQueues());
			pooled.addAll(pool.getQueues());
		});
		for (String queue : this.queues.names()) {
			if (!pooled.contains(queue)) {
				containers.put(queue, List.of(queue));
			}
		}
		return containers;
	}

	private WorkerContainer create(String name, List<String> queueNames, JobExecutionListener listener) {
		List<JobStore> stores = queueNames.stream().flatMap((queue) -> this.queues.stores(queue).stream())
			.map(JobStore.class::cast).toList();
		JobQueueProperties.Pool pool = this.properties.getWorker().getPools().get(name);
		int concurrency = (pool != null) ? pool.getConcurrency()
				: this.properties.effectiveQueues().get(name).getConcurrency();
		// Shards of one queue share the slots in turn; distinct queues keep their priority order.
		boolean sharded = stores.size() > queueNames.size();
		Worker.Builder builder = Worker.builderForStores(stores)
			.rotateStores(sharded && queueNames.size() == 1)
			.id(workerId(name))
			.concurrency(concurrency)
			.timeout(this.properties.getJobs().getTimeout())
			.unknownTypeGrace(this.properties.getJobs().getUnknownTypeGrace())
			.retryPolicy(this.retryPolicy)
			.shutdownTimeout(this.properties.getWorker().getShutdownTimeout())
			.virtualThreads(this.virtualThreads)
			.listener(listener);
		if (this.properties.getWorker().getMaxStuckHandlers() != null) {
			builder.maxStuckHandlers(this.properties.getWorker().getMaxStuckHandlers());
		}
		// Every worker can run every type: a dispatch may send a job to any queue.
		JobExecutionInterceptor interceptor = this.interceptor;
		this.endpoints.values().forEach((endpoint) -> builder.handleJob(endpoint.type(),
				(job, context) -> interceptor.invoke(job, context, () -> endpoint.invoke(job, context)), endpoint.options()));
		return new WorkerContainer(name, builder.build());
	}


	/** {@code <container>:<pid>@<host>}: which worker of which process, readable in logs and failures. */
	private static String workerId(String container) {
		return container + ":" + java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
	}

}
