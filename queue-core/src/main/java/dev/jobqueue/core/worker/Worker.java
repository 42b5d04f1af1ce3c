package dev.jobqueue.core.worker;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.flow.FlowRelay;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobIds;
import dev.jobqueue.core.middleware.JobMiddleware;
import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.LeaseBatch;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.RedisJobStore;

/**
 * Runs jobs from one or more job stores (queues, in the given order), with up to {@code concurrency}
 * handlers at once over all of them. Delivery is at least once: a job leaves Redis only when its outcome is
 * written with a still-valid lease token; a worker that dies loses nothing, since its leases expire and any
 * worker's reaper puts the jobs back. Leases are extended by a heartbeat on its own thread, and an attempt
 * whose lease cannot be renewed stops before it can have run out. A failed attempt is retried with back-off
 * or dead-lettered; an attempt past its timeout is interrupted. {@link #stop(Duration)} stops fetching, lets
 * running jobs finish, then hands back those still running. An idle worker blocks on Redis instead of
 * polling. A worker whose fetching thread dies reports {@link #failure()}. Thread-safe.
 */
public final class Worker implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	/**
	 * The longest an attempt runs when neither its job, its handler nor the worker sets a timeout: long enough
	 * for reports and media work, short enough that a hung handler frees its slot and its job the same hour.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

	/** How long past its shutdown timeout a stopping worker takes to hand jobs back and write what is pending. */
	public static final Duration STOP_MARGIN = Duration.ofSeconds(5);

	/** How long a job of a type no handler knows is handed back before it is dead-lettered (rolling deploys). */
	public static final Duration DEFAULT_UNKNOWN_TYPE_GRACE = Duration.ofMinutes(10);

	/** Longest single blocking wait of an idle worker. */
	private static final Duration MAX_BLOCK = Duration.ofSeconds(5);

	private static final Duration STOP_WHEN_EMPTY_LOOK = Duration.ofMillis(500);

	/** How often an idle worker that was not signalled looks at its queues all the same. */
	private static final Duration RELOOK = Duration.ofSeconds(60);

	/** How long a busy worker waits for more free slots before it leases (a third fewer script calls per job). */
	private static final Duration LINGER = Duration.ofNanos(200_000);

	/** How often attempts are checked against their timeout and their lease's local deadline. */
	private static final Duration TICK_INTERVAL = Duration.ofMillis(100);

	private enum Phase {

		NEW, RUNNING, STOPPING, TERMINATED

	}

	private final List<JobStore> stores;

	private final int concurrency;

	private final long maxJobs;

	private final boolean stopWhenEmpty;

	private final Duration shutdownTimeout;

	private final Duration heartbeatInterval;

	private final Duration reapInterval;

	private final Duration trimInterval;

	private final boolean virtualThreads;

	private final boolean rotateStores;

	private final WorkerSettings settings;

	private final Semaphore slots;

	private final AtomicLong fetched = new AtomicLong();

	private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.NEW);

	private final CountDownLatch terminated = new CountDownLatch(1);

	private final RedisOutageLog outage;

	private final StoreBackOff storeBackOff;

	private volatile boolean fetching;

	private volatile Throwable failure;

	private ScheduledExecutorService heartbeat;

	private ScheduledThreadPoolExecutor timer;

	private ScheduledExecutorService maintenance;

	private final AtomicBoolean relayQueued = new AtomicBoolean();

	private JobRunner runner;

	private IdleWait idleWait;

	private Thread fetcher;

	private Worker(Builder builder) {
		String id = (builder.id != null) ? builder.id : defaultId();
		this.stores = builder.stores.stream().map((store) -> store.forWorker(id)).toList();
		if (this.stores.isEmpty()) {
			throw new IllegalArgumentException("A worker needs at least one queue");
		}
		if (builder.concurrency < 1) {
			throw new IllegalArgumentException("Concurrency must be at least 1");
		}
		if (builder.maxStuckHandlers != null && builder.maxStuckHandlers < 0) {
			throw new IllegalArgumentException("maxStuckHandlers must be zero or positive");
		}
		this.concurrency = builder.concurrency;
		this.maxJobs = builder.maxJobs;
		this.stopWhenEmpty = builder.stopWhenEmpty;
		this.shutdownTimeout = builder.shutdownTimeout;
		Duration shortestLease = this.stores.stream().map((store) -> store.options().leaseDuration())
			.min(Duration::compareTo).orElseThrow();
		this.heartbeatInterval = shortestLease.dividedBy(3);
		// Like BullMQ's stalled-job check: once a lease length, at most every 30 s.
		this.reapInterval = (builder.reapInterval != null) ? builder.reapInterval
				: clamp(shortestLease, Duration.ofMillis(100), Duration.ofSeconds(30));
		this.trimInterval = builder.trimInterval;
		this.virtualThreads = builder.virtualThreads;
		this.rotateStores = builder.rotateStores;
		this.storeBackOff = new StoreBackOff(this.stores.size());
		this.settings = new WorkerSettings(id, builder.handlers, builder.retryPolicy,
				(builder.timeout != null) ? builder.timeout : DEFAULT_TIMEOUT, builder.listener, builder.unknownTypeGrace,
				(builder.maxStuckHandlers != null) ? builder.maxStuckHandlers : this.concurrency,
				List.copyOf(builder.middleware));
		this.slots = new Semaphore(this.concurrency);
		this.outage = new RedisOutageLog(id);
	}

	public static Builder builder(RedisJobQueue... queues) {
		return builder(List.of(queues));
	}

	public static Builder builder(List<RedisJobQueue> queues) {
		return new Builder(queues.stream().map(RedisJobQueue::store).map(JobStore.class::cast).toList());
	}

	/** A worker over job stores directly, e.g. the shards of a queue, served in the given order. */
	public static Builder builderForStores(List<? extends JobStore> stores) {
		return new Builder(List.copyOf(stores));
	}

	/** Registers the handler of a job type; the JSON payload is bound to {@code payloadType}. */
	public <T> Worker handle(String type, Class<T> payloadType, JobProcessor<T> processor) {
		return handle(type, payloadType, processor, HandlerOptions.DEFAULTS);
	}

	public <T> Worker handle(String type, Class<T> payloadType, JobProcessor<T> processor, HandlerOptions options) {
		this.settings.handlers().add(type, payloadType, processor, options);
		return this;
	}

	/** Registers a handler whose return value is stored, as JSON, with the completed job. */
	public <T> Worker handleWithResult(String type, Class<T> payloadType, JobFunction<T, ?> function) {
		return handleWithResult(type, payloadType, function, HandlerOptions.DEFAULTS);
	}

	public <T> Worker handleWithResult(String type, Class<T> payloadType, JobFunction<T, ?> function,
			HandlerOptions options) {
		this.settings.handlers().add(type, payloadType, function, options);
		return this;
	}

	public String id() {
		return this.settings.id();
	}

	/** The stores this worker runs jobs from, in the order it serves them. */
	public List<JobStore> stores() {
		return this.stores;
	}

	/** The names of the queues this worker serves, in order. */
	public List<String> queueNames() {
		return this.stores.stream().map(JobStore::queue).distinct().toList();
	}

	public int concurrency() {
		return this.concurrency;
	}

	/** Whether it runs: started, not stopping, and not failed. */
	public boolean isRunning() {
		return this.phase.get() == Phase.RUNNING && this.failure == null;
	}

	/** Why the worker stopped by itself, when its fetching thread died; {@code null} otherwise. */
	public Throwable failure() {
		return this.failure;
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
		return (this.runner != null) ? this.runner.attempts().size() : 0;
	}

	/**
	 * Handlers abandoned (timeout, lost lease, cancel, shutdown) that still hold their thread because they
	 * ignore interrupts. Up to {@link Builder#maxStuckHandlers} get a thread lent in their place; past that,
	 * each keeps its slot and the worker runs fewer jobs at once.
	 */
	public int stuckHandlers() {
		return (this.runner != null) ? this.runner.stuckHandlers() : 0;
	}

	/** The most stuck handlers this worker covers with lent threads. */
	public int maxStuckHandlers() {
		return this.settings.maxStuckHandlers();
	}

	/** Timers waiting to fire: the one tick that checks timeouts and leases, whatever the jobs held or run. */
	int pendingTimers() {
		return (this.timer != null) ? this.timer.getQueue().size() : 0;
	}

	/** Starts fetching and running jobs. A worker starts once. */
	public Worker start() {
		if (!this.phase.compareAndSet(Phase.NEW, Phase.RUNNING)) {
			throw new IllegalStateException("Worker " + id() + " was already started");
		}
		String prefix = "jobqueue-" + String.join(",", queueNames()) + "-";
		this.heartbeat = Executors.newSingleThreadScheduledExecutor(threads(prefix + "heartbeat", true));
		this.timer = new ScheduledThreadPoolExecutor(1, threads(prefix + "timer", true));
		// Cancelled timeouts leave the queue at once instead of piling up until their time comes.
		this.timer.setRemoveOnCancelPolicy(true);
		this.maintenance = Executors.newSingleThreadScheduledExecutor(threads(prefix + "maintenance", true));
		this.runner = new JobRunner(this.settings, this.slots,
				HandlerThreads.create(prefix + "handler-", this.concurrency, this.virtualThreads), this.outage, prefix);
		this.runner.onFlowSettled(this::relaySoon);
		this.idleWait = new IdleWait(this.stores, prefix);
		long heartbeatMillis = this.heartbeatInterval.toMillis();
		this.heartbeat.scheduleWithFixedDelay(new LeaseHeartbeat(this.runner), heartbeatMillis, heartbeatMillis,
				TimeUnit.MILLISECONDS);
		this.timer.scheduleWithFixedDelay(this::tick, TICK_INTERVAL.toMillis(), TICK_INTERVAL.toMillis(),
				TimeUnit.MILLISECONDS);
		this.maintenance.scheduleWithFixedDelay(new LeaseReaper(this.stores, this.outage), 0, this.reapInterval.toMillis(),
				TimeUnit.MILLISECONDS);
		// Settles of flows' jobs and dispatches run the relay at once; this run, as rare as the reaper's (one HSCAN per
		// store), carries what a crash left behind, so an idle worker stays at about one Redis call a second.
		this.maintenance.scheduleWithFixedDelay(this::relayFlows, this.reapInterval.toMillis(), this.reapInterval.toMillis(),
				TimeUnit.MILLISECONDS);
		this.maintenance.scheduleWithFixedDelay(new RetentionJanitor(this.stores, this.runner), this.trimInterval.toMillis(),
				this.trimInterval.toMillis(), TimeUnit.MILLISECONDS);
		this.fetching = true;
		this.fetcher = threads(prefix + "fetch", false).newThread(this::fetchUntilStopped);
		this.fetcher.start();
		this.stores.forEach((store) -> store.workerEvent("worker_started"));
		logger.info("Worker {} started on queues {} with concurrency {}", id(), queueNames(), this.concurrency);
		return this;
	}

	private void tick() {
		try {
			this.runner.tick();
		}
		catch (Throwable ex) {
			logger.error("Timeout and lease checks failed; they run again shortly", ex);
		}
	}

	/** Runs the relay once more on the maintenance thread, unless a run is already queued. */
	private void relaySoon() {
		if (this.relayQueued.compareAndSet(false, true)) {
			try {
				this.maintenance.execute(() -> {
					this.relayQueued.set(false);
					relayFlows();
				});
			}
			catch (RejectedExecutionException ex) {
				// Stopping: the next worker's relay carries it.
				this.relayQueued.set(false);
			}
		}
	}

	/** Carries what each store owes flows on other queues (FlowRelay); a failure waits for the next run. */
	private void relayFlows() {
		for (JobStore store : this.stores) {
			if (store instanceof RedisJobStore redisStore) {
				try {
					FlowRelay.relay(redisStore);
				}
				catch (RuntimeException ex) {
					this.outage.failed("relaying flows between queues", ex);
				}
			}
		}
	}

	/**
	 * Stops gracefully: no new jobs are fetched, running jobs get until {@code timeout} to finish, then those
	 * still running are handed back so another worker runs them at once; outcomes and hand-backs are written
	 * within {@link #STOP_MARGIN} more. Returns {@code true} when every running job finished in time.
	 */
	public boolean stop(Duration timeout) {
		if (this.phase.compareAndSet(Phase.NEW, Phase.TERMINATED)) {
			this.terminated.countDown();
			return true;
		}
		if (!this.phase.compareAndSet(Phase.RUNNING, Phase.STOPPING)) {
			return awaitTermination(timeout.plus(STOP_MARGIN).plus(STOP_MARGIN));
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		this.fetching = false;
		this.idleWait.stop();
		// A handler that called System.exit never returns: settle it now instead of waiting for it.
		this.runner.settleExitCallers();
		if (Thread.currentThread() != this.fetcher) {
			// The fetcher leaves at once from an idle wait, or after one lease call: waiting for it even
			// past a short timeout keeps it from leasing jobs after the handlers have stopped.
			join(this.fetcher, Math.max(deadline, System.nanoTime() + Duration.ofSeconds(2).toNanos()));
		}
		boolean finished = this.runner.awaitHandlers(deadline);
		int handedBack = 0;
		if (!finished) {
			handedBack = this.runner.attempts().size();
			this.runner.handBackUnfinished();
		}
		this.runner.shutdown(STOP_MARGIN);
		this.heartbeat.shutdownNow();
		this.timer.shutdownNow();
		this.maintenance.shutdownNow();
		// The last settles (all written by now) may have queued a relay: it ends, or if it never started runs here,
		// before the worker says it stopped; else a flow waits for another worker's periodic run, and a worker
		// stopping when empty often stops first.
		try {
			this.maintenance.awaitTermination(STOP_MARGIN.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.relayQueued.get()) {
			relayFlows();
		}
		this.idleWait.close();
		this.phase.set(Phase.TERMINATED);
		this.terminated.countDown();
		this.stores.forEach((store) -> store.workerEvent("worker_stopped"));
		logger.info("Worker {} stopped after leasing {} jobs{}", id(), this.fetched.get(),
				finished ? "" : "; " + handedBack + " unfinished jobs were handed back");
		return finished;
	}

	/** Waits until the worker has stopped, by {@link #stop} or by itself (max jobs, stop when empty, failure). */
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

	private void fetchUntilStopped() {
		try {
			fetchLoop();
		}
		catch (Throwable ex) {
			this.failure = ex;
			logger.error("Worker {} failed: its fetching thread died. It stops, handing its jobs back", id(), ex);
		}
		if (this.phase.get() == Phase.RUNNING) {
			// Ended by itself (max jobs, stop when empty, failure): finish what runs, then stop.
			stop(this.shutdownTimeout);
		}
	}

	private void fetchLoop() throws InterruptedException {
		long pause = 0;
		int round = 0;
		while (this.fetching) {
			int free = acquireSlots();
			if (free == 0) {
				continue;
			}
			int started = 0;
			Duration nextDue = null;
			boolean failed = false;
			// Read before leasing: an attempt that settles after an empty lease may have enqueued more (a chain's next
			// step, a batch's callback), so only a worker idle before it looked may take an empty queue as the end.
			boolean idleBeforeLease = this.stopWhenEmpty && this.runner.isIdle();
			try {
				int first = this.rotateStores ? Math.floorMod(round++, this.stores.size()) : 0;
				int answered = 0;
				// stop() may have been called while this thread waited for a slot.
				for (int i = 0; i < this.stores.size() && this.fetching && started < free; i++) {
					int index = (first + i) % this.stores.size();
					JobStore store = this.stores.get(index);
					LeaseBatch batch;
					try {
						batch = this.storeBackOff.isWaiting(index) ? null : store.lease(free - started,
								!this.runner.holdsSuspect());
					}
					catch (RuntimeException ex) {
						// One store (a shard on another server) failing must not stop the others.
						if (this.storeBackOff.failed(index, ex) && this.stores.size() > 1) {
							logger.warn("Worker {} cannot fetch jobs from {{}} ({}); it serves its other stores and "
									+ "tries again with back-off", id(), store.keys().tag(), ex.toString());
						}
						batch = null;
					}
					if (batch == null) {
						continue;
					}
					if (this.storeBackOff.succeeded(index) && this.stores.size() > 1) {
						logger.info("Worker {} fetches jobs from {{}} again", id(), store.keys().tag());
					}
					answered++;
					for (LeasedJob job : batch.jobs()) {
						this.fetched.incrementAndGet();
						if (this.runner.submit(store, job)) {
							started++;
						}
					}
					nextDue = earliest(nextDue, batch.nextDue());
				}
				if (answered == 0 && this.storeBackOff.anyWaiting()) {
					throw this.storeBackOff.lastFailure();
				}
				// A store in back-off is tried again when it is due, whatever signals the others give.
				nextDue = earliest(nextDue, this.storeBackOff.untilRetry());
				this.outage.succeeded();
				pause = 0;
			}
			catch (RuntimeException ex) {
				failed = true;
				this.outage.failed("fetching jobs", ex);
				pause = (pause == 0) ? 100 : Math.min(pause * 2, 5_000);
			}
			finally {
				// Every slot taken and not given to a job goes back, exactly once.
				this.slots.release(free - started);
			}
			if (failed) {
				Thread.sleep(pause);
				continue;
			}
			if (this.maxJobs > 0 && this.fetched.get() >= this.maxJobs) {
				break;
			}
			if (started == 0 && this.fetching) {
				if (idleBeforeLease) {
					break;
				}
				waitForWork(nextDue);
			}
		}
	}

	/**
	 * An idle worker blocks until an enqueue signals work, a delayed job it knows of is due, or
	 * {@link #RELOOK} has passed (in case a signal went to another worker): about one Redis call every few
	 * seconds, however many queues it serves. Every enqueue, delayed ones included, and every retry signals.
	 */
	private void waitForWork(Duration nextDue) throws InterruptedException {
		long now = System.nanoTime();
		long until = now + RELOOK.toNanos();
		if (nextDue != null) {
			until = Math.min(until, now + nextDue.toNanos());
		}
		if (this.stopWhenEmpty) {
			// Its running jobs end without a signal: it looks again soon to see whether it is done.
			until = Math.min(until, now + STOP_WHEN_EMPTY_LOOK.toNanos());
		}
		while (this.fetching && until - (now = System.nanoTime()) > 0) {
			try {
				if (this.idleWait.await(Duration.ofNanos(Math.min(until - now, MAX_BLOCK.toNanos())))) {
					return;
				}
			}
			catch (RuntimeException ex) {
				this.outage.failed("waiting for jobs", ex);
				return;
			}
		}
	}

	private int acquireSlots() throws InterruptedException {
		if (!this.slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
			return 0;
		}
		int free = 1 + this.slots.drainPermits();
		if (free < this.concurrency / 2 && this.fetching) {
			// Over half the slots run jobs: a moment's wait lets more of them finish, so this lease call, and the
			// settle call that follows its jobs, carries more jobs. With most slots free it leases at once.
			LockSupport.parkNanos(LINGER.toNanos());
			free += this.slots.drainPermits();
		}
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

	private static ThreadFactory threads(String name, boolean daemon) {
		return HandlerThreads.platformThreadFactory(name, daemon);
	}

	private static String defaultId() {
		String process = ManagementFactory.getRuntimeMXBean().getName();
		return process + "-" + JobIds.next().substring(16);
	}

	/** Settings of a {@link Worker}. */
	public static final class Builder {

		private final List<JobStore> stores;

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

		private boolean rotateStores;

		private Duration unknownTypeGrace = DEFAULT_UNKNOWN_TYPE_GRACE;

		private Integer maxStuckHandlers;

		private final List<JobMiddleware> middleware = new ArrayList<>();

		private Builder(List<JobStore> stores) {
			this.stores = stores;
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

		/** Longest time one attempt may run unless its job or handler says otherwise ({@link #DEFAULT_TIMEOUT}). */
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

		/** How often expired leases are looked for (default: the shortest lease, 100 ms to 30 s). */
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

		/**
		 * How long a job of a type this worker has no handler for is handed back (without a failure) for a
		 * worker that knows it, counted from the job's creation: new web nodes may dispatch a new type before
		 * the old workers are replaced. Past it the job is dead-lettered. 10 min by default.
		 */
		public Builder unknownTypeGrace(Duration unknownTypeGrace) {
			this.unknownTypeGrace = Objects.requireNonNull(unknownTypeGrace, "unknownTypeGrace");
			return this;
		}

		/** How many handlers that ignore interrupts get a thread lent in their place (default: the concurrency). */
		public Builder maxStuckHandlers(int maxStuckHandlers) {
			this.maxStuckHandlers = maxStuckHandlers;
			return this;
		}

		/**
		 * Adds middleware around every handler of this worker (outside each handler's own), first added
		 * outermost.
		 */
		public Builder middleware(JobMiddleware... middleware) {
			for (JobMiddleware one : middleware) {
				this.middleware.add(Objects.requireNonNull(one, "middleware"));
			}
			return this;
		}

		/**
		 * Start each fetch round at the next store instead of the first, so that stores of equal rank, such as the
		 * shards of a queue, share the free slots and none starves (off by default: stores are served in order).
		 */
		public Builder rotateStores(boolean rotateStores) {
			this.rotateStores = rotateStores;
			return this;
		}

		public Worker build() {
			return new Worker(this);
		}

	}

}
