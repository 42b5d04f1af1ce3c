package dev.jobqueue.core.worker;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobIds;
import dev.jobqueue.core.queue.LeaseBatch;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.RedisJobQueue;

/**
 * Runs jobs from one or more queues, in the given queue order, with up to {@code concurrency}
 * handlers at once. Delivery is at least once: a job leaves Redis only when its completion is
 * written with a still-valid lease token; a worker that dies loses nothing, since its leases expire
 * and any worker's reaper puts the jobs back. Leases are extended by a heartbeat on its own thread.
 * A failed attempt is retried with back-off or dead-lettered; a hung attempt is interrupted at its
 * timeout. {@link #stop(Duration)} stops fetching, lets running jobs finish, then gives back the
 * leases of those still running. An idle worker blocks on Redis instead of polling. Thread-safe.
 */
public final class Worker implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private enum Phase {

		NEW, RUNNING, STOPPING, TERMINATED

	}

	private final String id;

	private final List<RedisJobQueue> queues;

	private final UnifiedJedis redis;

	private final List<String> wakeKeys;

	private final int concurrency;

	private final Duration defaultTimeout;

	private final RetryPolicy retryPolicy;

	private final long maxJobs;

	private final boolean stopWhenEmpty;

	private final Duration shutdownTimeout;

	private final JobExecutionListener listener;

	private final Duration heartbeatInterval;

	private final Duration reapInterval;

	private final Duration trimInterval;

	private final boolean virtualThreads;

	private final JobHandlers handlers;

	private final Semaphore slots;

	private final AtomicLong fetched = new AtomicLong();

	private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.NEW);

	private final CountDownLatch terminated = new CountDownLatch(1);

	private volatile boolean fetching;

	private ScheduledExecutorService heartbeat;

	private ScheduledExecutorService maintenance;

	private JobRunner runner;

	private Thread fetcher;

	private Worker(Builder builder) {
		this.queues = List.copyOf(builder.queues);
		if (this.queues.isEmpty()) {
			throw new IllegalArgumentException("A worker needs at least one queue");
		}
		this.redis = this.queues.get(0).redis();
		if (this.queues.stream().anyMatch((queue) -> queue.redis() != this.redis)) {
			throw new IllegalArgumentException("The queues of one worker must share one Redis client");
		}
		if (this.queues.size() > 1 && (this.redis instanceof RedisClusterClient || this.redis instanceof JedisCluster)) {
			// An idle worker blocks on every queue's wake-up list at once, and those live in different slots.
			throw new IllegalArgumentException("On Redis Cluster a worker takes one queue: build one worker per queue");
		}
		if (builder.concurrency < 1) {
			throw new IllegalArgumentException("Concurrency must be at least 1");
		}
		this.id = (builder.id != null) ? builder.id : defaultId();
		this.wakeKeys = this.queues.stream().map((queue) -> queue.keys().wake()).toList();
		this.concurrency = builder.concurrency;
		this.defaultTimeout = builder.timeout;
		this.retryPolicy = builder.retryPolicy;
		this.maxJobs = builder.maxJobs;
		this.stopWhenEmpty = builder.stopWhenEmpty;
		this.shutdownTimeout = builder.shutdownTimeout;
		this.listener = builder.listener;
		Duration shortestLease = this.queues.stream().map((queue) -> queue.options().leaseDuration())
			.min(Duration::compareTo).orElseThrow();
		this.heartbeatInterval = shortestLease.dividedBy(3);
		this.reapInterval = (builder.reapInterval != null) ? builder.reapInterval
				: clamp(shortestLease.dividedBy(2), Duration.ofMillis(100), Duration.ofSeconds(5));
		this.trimInterval = builder.trimInterval;
		this.handlers = builder.handlers;
		this.virtualThreads = builder.virtualThreads;
		this.slots = new Semaphore(this.concurrency);
	}

	public static Builder builder(RedisJobQueue... queues) {
		return new Builder(List.of(queues));
	}

	public static Builder builder(List<RedisJobQueue> queues) {
		return new Builder(queues);
	}

	/** Registers the handler of a job type; the JSON payload is bound to {@code payloadType}. */
	public <T> Worker handle(String type, Class<T> payloadType, JobProcessor<T> processor) {
		return handle(type, payloadType, processor, HandlerOptions.DEFAULTS);
	}

	public <T> Worker handle(String type, Class<T> payloadType, JobProcessor<T> processor, HandlerOptions options) {
		this.handlers.add(type, payloadType, processor, options);
		return this;
	}

	/** Registers a handler whose return value is stored, as JSON, with the completed job. */
	public <T> Worker handleWithResult(String type, Class<T> payloadType, JobFunction<T, ?> function) {
		return handleWithResult(type, payloadType, function, HandlerOptions.DEFAULTS);
	}

	public <T> Worker handleWithResult(String type, Class<T> payloadType, JobFunction<T, ?> function,
			HandlerOptions options) {
		this.handlers.add(type, payloadType, function, options);
		return this;
	}

	public String id() {
		return this.id;
	}

	public List<RedisJobQueue> queues() {
		return this.queues;
	}

	public boolean isRunning() {
		return this.phase.get() == Phase.RUNNING;
	}

	/** Number of jobs leased so far. */
	public long leasedCount() {
		return this.fetched.get();
	}

	/** Slots free for more jobs: the concurrency minus the jobs this worker holds for running. */
	public int freeSlots() {
		return this.slots.availablePermits();
	}

	/** Number of jobs leased and not settled yet (running, or with an outcome being written). */
	public int activeCount() {
		return (this.runner != null) ? this.runner.executions().size() : 0;
	}

	/** Starts fetching and running jobs. A worker starts once. */
	public Worker start() {
		if (!this.phase.compareAndSet(Phase.NEW, Phase.RUNNING)) {
			throw new IllegalStateException("Worker " + this.id + " was already started");
		}
		String prefix = "jobqueue-" + this.id.substring(Math.max(0, this.id.length() - 4)) + "-";
		this.heartbeat = Executors.newSingleThreadScheduledExecutor(threads(prefix + "heartbeat", true));
		this.maintenance = Executors.newScheduledThreadPool(1, threads(prefix + "maintenance", true));
		this.runner = new JobRunner(this.id, this.handlers, this.retryPolicy, this.defaultTimeout, this.listener,
				this.slots, this.maintenance, HandlerThreads.create(prefix + "handler-", this.concurrency, this.virtualThreads),
				prefix);
		long heartbeatMillis = this.heartbeatInterval.toMillis();
		this.heartbeat.scheduleWithFixedDelay(new LeaseHeartbeat(this.runner.executions(), this.runner::leaseLost),
				heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
		this.maintenance.scheduleWithFixedDelay(new LeaseReaper(this.queues), 0, this.reapInterval.toMillis(),
				TimeUnit.MILLISECONDS);
		this.maintenance.scheduleWithFixedDelay(new RetentionJanitor(this.queues), this.trimInterval.toMillis(),
				this.trimInterval.toMillis(), TimeUnit.MILLISECONDS);
		this.fetching = true;
		this.fetcher = threads(prefix + "fetch", false).newThread(this::fetchLoop);
		this.fetcher.start();
		logger.info("Worker {} started on queues {} with concurrency {}", this.id,
				this.queues.stream().map(RedisJobQueue::name).toList(), this.concurrency);
		return this;
	}

	/**
	 * Stops gracefully: no new jobs are fetched, running jobs get until {@code timeout} to finish,
	 * then the leases of those still running are given back so another worker runs them at once.
	 * Returns {@code true} when every running job finished in time.
	 */
	public boolean stop(Duration timeout) {
		if (this.phase.compareAndSet(Phase.NEW, Phase.TERMINATED)) {
			this.terminated.countDown();
			return true;
		}
		if (!this.phase.compareAndSet(Phase.RUNNING, Phase.STOPPING)) {
			return awaitTermination(timeout);
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		this.fetching = false;
		if (Thread.currentThread() != this.fetcher) {
			// The fetcher leaves within one blocking wait (at most 500 ms) and one lease call: waiting for
			// it even past a short timeout keeps it from leasing jobs after the handlers have stopped.
			join(this.fetcher, Math.max(deadline, System.nanoTime() + Duration.ofSeconds(2).toNanos()));
		}
		boolean finished = this.runner.awaitHandlers(deadline);
		if (!finished) {
			this.runner.releaseUnfinished();
		}
		// Completions already computed are worth writing even when the timeout is spent.
		this.runner.shutdown(Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(2).toNanos())));
		this.heartbeat.shutdownNow();
		this.maintenance.shutdownNow();
		this.phase.set(Phase.TERMINATED);
		this.terminated.countDown();
		logger.info("Worker {} stopped ({} jobs leased{})", this.id, this.fetched.get(),
				finished ? "" : "; unfinished jobs were handed back");
		return finished;
	}

	/** Waits until the worker has stopped, by {@link #stop} or by itself (max jobs, stop when empty). */
	public boolean awaitTermination(Duration timeout) {
		try {
			return this.terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** {@link #stop(Duration) Stops} with the worker's shutdown timeout. */
	@Override
	public void close() {
		stop(this.shutdownTimeout);
	}

	private void fetchLoop() {
		long pause = 0;
		while (this.fetching) {
			int free = acquireSlots();
			if (free == 0) {
				continue;
			}
			int started = 0;
			Duration nextDue = null;
			boolean failed = false;
			try {
				// stop() may have been called while this thread waited for a slot.
				for (int i = 0; i < this.queues.size() && this.fetching && started < free; i++) {
					RedisJobQueue queue = this.queues.get(i);
					LeaseBatch batch = queue.lease(free - started);
					for (LeasedJob job : batch.jobs()) {
						this.fetched.incrementAndGet();
						if (this.runner.run(queue, job)) {
							started++;
						}
					}
					nextDue = earliest(nextDue, batch.nextDue());
				}
			}
			catch (RuntimeException ex) {
				failed = true;
				pause = backOff(pause, ex);
			}
			finally {
				// Every slot taken and not given to a job goes back, exactly once.
				this.slots.release(free - started);
			}
			if (failed) {
				continue;
			}
			if (pause > 0) {
				logger.info("Worker {} reaches Redis again", this.id);
				pause = 0;
			}
			if (this.maxJobs > 0 && this.fetched.get() >= this.maxJobs) {
				break;
			}
			if (started == 0 && this.fetching) {
				if (this.stopWhenEmpty && this.runner.executions().isEmpty()) {
					break;
				}
				try {
					RedisJobQueue.awaitWork(this.redis, this.wakeKeys, RedisJobQueue.idleWait(Duration.ofSeconds(1), nextDue));
				}
				catch (RuntimeException ex) {
					pause = backOff(pause, ex);
				}
			}
		}
		if (this.phase.get() == Phase.RUNNING) {
			// Ended by itself (max jobs or stop when empty): finish what runs, then stop.
			stop(this.shutdownTimeout);
		}
	}

	/** Waits longer after each failure to reach Redis (100 ms doubling to 5 s); warns on the first. */
	private long backOff(long pause, RuntimeException ex) {
		if (pause == 0) {
			logger.warn("Worker {} cannot fetch jobs, retrying: {}", this.id, ex.toString());
		}
		long next = (pause == 0) ? 100 : Math.min(pause * 2, 5_000);
		sleep(next);
		return next;
	}

	private int acquireSlots() {
		try {
			if (!this.slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
				return 0;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.fetching = false;
			return 0;
		}
		int free = 1 + this.slots.drainPermits();
		if (this.maxJobs > 0) {
			int allowed = (int) Math.max(0, Math.min(free, this.maxJobs - this.fetched.get()));
			this.slots.release(free - allowed);
			return allowed;
		}
		return free;
	}

	private static Duration earliest(Duration current, Duration candidate) {
		return (current == null || (candidate != null && candidate.compareTo(current) < 0)) ? candidate : current;
	}

	private static Duration clamp(Duration value, Duration min, Duration max) {
		return (value.compareTo(min) < 0) ? min : (value.compareTo(max) > 0) ? max : value;
	}

	private static void join(Thread thread, long deadline) {
		try {
			thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static ThreadFactory threads(String name, boolean daemon) {
		return HandlerThreads.platformThreadFactory(name, daemon);
	}

	private static String defaultId() {
		String process = ManagementFactory.getRuntimeMXBean().getName();
		return process + "-" + JobIds.next().substring(16);
	}

	/** Settings of a {@link Worker}. */
	public static final class Builder {

		private final List<RedisJobQueue> queues;

		private int concurrency = 10;

		private Duration timeout;

		private RetryPolicy retryPolicy = RetryPolicy.defaults();

		private long maxJobs;

		private boolean stopWhenEmpty;

		private Duration shutdownTimeout = Duration.ofSeconds(30);

		private JobExecutionListener listener = new JobExecutionListener() {
		};

		private String id;

		private Duration reapInterval;

		private Duration trimInterval = Duration.ofMinutes(1);

		private final JobHandlers handlers = new JobHandlers();

		private boolean virtualThreads = true;

		private Builder(List<RedisJobQueue> queues) {
			this.queues = List.copyOf(queues);
		}

		/** Registers the handler of a job type, as {@link Worker#handle(String, Class, JobProcessor)} does. */
		public <T> Builder handle(String type, Class<T> payloadType, JobProcessor<T> processor) {
			return handle(type, payloadType, processor, HandlerOptions.DEFAULTS);
		}

		public <T> Builder handle(String type, Class<T> payloadType, JobProcessor<T> processor, HandlerOptions options) {
			this.handlers.add(type, payloadType, processor, options);
			return this;
		}

		/** Registers a handler whose return value is stored with the completed job. */
		public <T> Builder handleWithResult(String type, Class<T> payloadType, JobFunction<T, ?> function) {
			return handleWithResult(type, payloadType, function, HandlerOptions.DEFAULTS);
		}

		public <T> Builder handleWithResult(String type, Class<T> payloadType, JobFunction<T, ?> function,
				HandlerOptions options) {
			this.handlers.add(type, payloadType, function, options);
			return this;
		}

		/** How many jobs run at once (10 by default). */
		public Builder concurrency(int concurrency) {
			this.concurrency = concurrency;
			return this;
		}

		/** Longest time one attempt may run unless its job or handler says otherwise; none by default. */
		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		public Builder retryPolicy(RetryPolicy retryPolicy) {
			this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
			return this;
		}

		/** Stop after leasing this many jobs (0, the default: no limit). */
		public Builder maxJobs(long maxJobs) {
			this.maxJobs = maxJobs;
			return this;
		}

		/** Stop once no job is pending and none is running. */
		public Builder stopWhenEmpty(boolean stopWhenEmpty) {
			this.stopWhenEmpty = stopWhenEmpty;
			return this;
		}

		/** How long {@link Worker#close()} lets running jobs finish (30 s by default). */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
			return this;
		}

		public Builder listener(JobExecutionListener listener) {
			this.listener = Objects.requireNonNull(listener, "listener");
			return this;
		}

		/** The id written with failures (default: {@code pid@host-xxxx}). */
		public Builder id(String id) {
			this.id = id;
			return this;
		}

		/** How often expired leases are looked for (default: half the shortest lease, 100 ms to 5 s). */
		public Builder reapInterval(Duration reapInterval) {
			this.reapInterval = reapInterval;
			return this;
		}

		/** How often retention limits are applied without new jobs finishing (1 min by default). */
		public Builder trimInterval(Duration trimInterval) {
			this.trimInterval = Objects.requireNonNull(trimInterval, "trimInterval");
			return this;
		}

		/**
		 * Whether handlers run on virtual threads when the JDK has them (21+; on by default). Turn it
		 * off for handlers that hold a thread inside native code or rely on thread identity.
		 */
		public Builder virtualThreads(boolean virtualThreads) {
			this.virtualThreads = virtualThreads;
			return this;
		}

		/**
		 * Registers a handler that receives the whole job, with its payload still JSON: for
		 * frameworks that bind payloads themselves. Its return value is stored with the job.
		 */
		public Builder handleJob(String type, JobFunction<Job, ?> function, HandlerOptions options) {
			this.handlers.addJobFunction(type, function, options);
			return this;
		}

		public Worker build() {
			return new Worker(this);
		}

	}

}
