package dev.jobqueue.core.worker;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.codec.PayloadBindingException;
import dev.jobqueue.core.flow.Flows;
import dev.jobqueue.core.flow.FlowMetadata;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.StopReason;
import dev.jobqueue.core.middleware.Decision;
import dev.jobqueue.core.middleware.JobMiddleware;
import dev.jobqueue.core.queue.CorruptJobException;
import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.RedisJobStore;
import dev.jobqueue.core.queue.Settlement;

/**
 * Runs a worker's leased jobs on handler threads and settles each attempt exactly once. It keeps the
 * bookkeeping of every attempt in one place: the slot it holds, whether it counts as running, its entry in
 * the map the heartbeat extends, its timer and its thread. Outcomes go to the {@link Settler}. Thread-safe.
 */
final class JobRunner implements Settler.Listener {

	// Logged under Worker: that is the class users know and configure.
	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private static final int STACK_TRACE_LIMIT = 8_000;

	/** How often an unknown job type is handed back while it may still be rolled out. */
	private static final Duration UNKNOWN_TYPE_RETRY = Duration.ofSeconds(5);

	private final WorkerSettings settings;

	private final Semaphore slots;

	private final HandlerThreads handlerThreads;

	private final Settler settler;

	private final RedisOutageLog outage;

	/** Run after a job of a flow on another queue, or a chain's step, is written: its relay entry goes at once. */
	private volatile Runnable flowSettled = () -> {
	};

	/** Runs the job types' failed and timedOut hooks, one at a time, away from the settle and timer threads. */
	private final ExecutorService hooks;

	/** Attempts not settled yet: leased, running, or with an outcome being written. */
	private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();

	/** Attempts leased or running (not finished, not abandoned): what a graceful stop waits for. */
	private final AtomicInteger running = new AtomicInteger();

	/** Abandoned handlers that still hold their thread. */
	private final AtomicInteger stuck = new AtomicInteger();

	/** Threads lent in place of stuck handlers, at most {@code maxStuckHandlers}. */
	private final AtomicInteger lent = new AtomicInteger();

	private final AtomicLong sequence = new AtomicLong();

	/** The one suspect (a job whose lease expired unfinished before) this worker holds, if any. */
	private final AtomicReference<Attempt> suspect = new AtomicReference<>();

	JobRunner(WorkerSettings settings, Semaphore slots, HandlerThreads handlerThreads, RedisOutageLog outage,
			String threadPrefix) {
		this.settings = settings;
		this.slots = slots;
		this.handlerThreads = handlerThreads;
		this.outage = outage;
		this.settler = new Settler(threadPrefix + "settle", this, outage);
		this.settler.start();
		this.hooks = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, threadPrefix + "hooks");
			thread.setDaemon(true);
			return thread;
		});
	}

	RedisOutageLog outage() {
		return this.outage;
	}

	/** The attempts not settled yet. */
	Collection<Attempt> attempts() {
		return this.attempts.values();
	}

	int stuckHandlers() {
		return this.stuck.get();
	}

	boolean holdsSuspect() {
		return this.suspect.get() != null;
	}

	boolean isIdle() {
		return this.attempts.isEmpty();
	}

	/**
	 * Runs a leased job on a handler thread, in the slot the caller took for it. Returns {@code false}, with
	 * the job handed back and the slot still the caller's, when the handler threads are shut down.
	 */
	boolean submit(JobStore store, LeasedJob lease) {
		Attempt attempt = new Attempt(lease, store, this, this.sequence.incrementAndGet(), timeoutOf(lease));
		this.running.incrementAndGet();
		if (lease.suspect()) {
			this.suspect.set(attempt);
		}
		Attempt earlier = this.attempts.put(attempt.key, attempt);
		if (earlier != null) {
			// Redis granted this job again, so the earlier lease is gone: that attempt must stop.
			leaseLost(earlier);
		}
		try {
			this.handlerThreads.execute(() -> execute(attempt));
			return true;
		}
		catch (RejectedExecutionException ex) {
			attempt.takeSlot();
			if (abandon(attempt, StopReason.SHUTDOWN) != null) {
				this.settler.submit(attempt, settlement(attempt, new Outcome.HandedBack(Duration.ZERO, false)));
			}
			return false;
		}
	}

	private void execute(Attempt attempt) {
		try {
			if (!attempt.start()) {
				// Abandoned before it started (shutdown, lost lease, cancel): it must not start now.
				return;
			}
			Object result = null;
			Throwable failure = null;
			try {
				notifyListener((listener) -> listener.onStarted(attempt.lease, waited(attempt.lease)));
				result = invoke(attempt);
			}
			catch (Throwable ex) {
				failure = ex;
			}
			handlerReturned(attempt, result, failure);
		}
		finally {
			returnSlot(attempt);
		}
	}

	private Object invoke(Attempt attempt) throws Exception {
		LeasedJob lease = attempt.lease;
		if (!lease.isReadable()) {
			throw new CorruptJobException(lease.problem());
		}
		Job job = lease.job();
		JobHandlers.Registered handler = this.settings.handlers().get(job.type());
		if (handler == null) {
			throw new UnknownJobTypeException("No handler for job type '" + job.type() + "' on worker "
					+ this.settings.id() + " (it handles " + this.settings.handlers().types() + ")");
		}
		releaseUniqueAtStart(attempt, job);
		List<JobMiddleware> middleware = this.settings.middleware();
		if (!handler.options().middleware().isEmpty()) {
			middleware = new ArrayList<>(middleware);
			middleware.addAll(handler.options().middleware());
		}
		return new MiddlewareChain(attempt, handler, middleware).proceed();
	}

	/** A job unique only until it starts gives its key up now, so the next one may be enqueued. */
	private void releaseUniqueAtStart(Attempt attempt, Job job) {
		String key = job.metadata().get(FlowMetadata.UNIQUE);
		if (key != null && "start".equals(job.metadata().get(FlowMetadata.UNIQUE_UNTIL))
				&& attempt.store instanceof RedisJobStore store) {
			Flows.releaseUnique(store, key, job.id());
		}
	}

	private Settlement settlement(Attempt attempt, Outcome outcome) {
		return new Settlement(attempt.lease, outcome, attempt.effects);
	}

	private void handlerReturned(Attempt attempt, Object result, Throwable failure) {
		synchronized (attempt) {
			boolean mine = attempt.finish();
			attempt.handlerExited();
			if (!mine) {
				// Abandoned while it ran: the one who abandoned it settles it; this thread is free again.
				this.stuck.decrementAndGet();
				if (attempt.threadLent) {
					this.lent.decrementAndGet();
					this.handlerThreads.giveBack();
				}
				return;
			}
		}
		leftRunning(attempt);
		Outcome outcome;
		if (failure == null && result instanceof Decision decision) {
			outcome = decided(attempt, decision);
		}
		else if (failure == null) {
			try {
				String json = (result != null) ? attempt.store.options().codec().write(result) : null;
				outcome = new Outcome.Completed(json);
			}
			catch (RuntimeException ex) {
				failure = ex;
				outcome = null;
			}
		}
		else {
			outcome = null;
		}
		if (outcome == null) {
			outcome = failureOutcome(attempt, failure);
		}
		attempt.failure = failure;
		this.settler.submit(attempt, settlement(attempt, outcome));
	}

	private Outcome decided(Attempt attempt, Decision decision) {
		if (decision instanceof Decision.HandBack back) {
			return new Outcome.HandedBack(back.delay(), attempt.handlerInvoked);
		}
		return new Outcome.Skipped(attempt.store.options().codec().write(((Decision.Skip) decision).reason()));
	}

	/** What a failed attempt leads to: errors that can never succeed go to the dead-letter queue at once. */
	private Outcome failureOutcome(Attempt attempt, Throwable failure) {
		LeasedJob lease = attempt.lease;
		JobError error = new JobError(describe(failure), failure.getClass().getName(), stackTrace(failure),
				this.settings.id());
		if (failure instanceof UnknownJobTypeException && lease.job() != null) {
			Duration age = Duration.between(lease.job().createdAt(), lease.leasedAt());
			if (age.compareTo(this.settings.unknownTypeGrace()) < 0) {
				return new Outcome.HandedBack(UNKNOWN_TYPE_RETRY, false);
			}
			return new Outcome.Dead(error);
		}
		if (failure instanceof CorruptJobException || failure instanceof PayloadBindingException) {
			return new Outcome.Dead(error);
		}
		try {
			Duration delay = retryPolicyOf(lease).retryDelay(lease.job(), lease.failures() + 1, failure);
			return (delay != null) ? new Outcome.Retry(delay, error) : new Outcome.Dead(error);
		}
		catch (RuntimeException | StackOverflowError ex) {
			logger.error("The retry policy failed for {}; retrying it in 1 min", attempt, ex);
			return new Outcome.Retry(Duration.ofMinutes(1), error);
		}
	}

	private void timedOut(Attempt attempt) {
		if (abandon(attempt, StopReason.TIMED_OUT) != null) {
			JobTimeoutException failure = new JobTimeoutException(attempt + " ran longer than its timeout of "
					+ Durations.format(attempt.timeout) + " and was interrupted");
			attempt.failure = failure;
			this.settler.submit(attempt, settlement(attempt, failureOutcome(attempt, failure)));
			JobHandlers.Registered handler = handlerOf(attempt.lease);
			if (handler != null && handler.options().onTimedOut() != null) {
				runHook(attempt, "timedOut", () -> handler.options().onTimedOut().timedOut(payloadOf(attempt, handler)));
			}
		}
	}

	private JobHandlers.Registered handlerOf(LeasedJob lease) {
		return (lease.job() != null) ? this.settings.handlers().get(lease.job().type()) : null;
	}

	/** The payload as the handler takes it, or its JSON when it cannot be bound. */
	private static Object payloadOf(Attempt attempt, JobHandlers.Registered handler) {
		Job job = attempt.lease.job();
		if (handler.takesJob()) {
			return job;
		}
		try {
			return attempt.store.options().codec().read(job.payload(), handler.payloadType());
		}
		catch (RuntimeException ex) {
			return job.payload();
		}
	}

	private interface Hook {

		void run() throws Exception;

	}

	/** Runs a hook on the hook thread; what it throws is logged and changes nothing. */
	private void runHook(Attempt attempt, String name, Hook hook) {
		try {
			this.hooks.execute(() -> {
				try {
					hook.run();
				}
				catch (Throwable ex) {
					logger.warn("The {} hook of {} failed; the job's outcome stands", name, attempt, ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			logger.warn("The {} hook of {} was not run: the worker is stopping", name, attempt);
		}
	}

	/** Redis says the lease is gone: stop the handler and write nothing more for this attempt. */
	void leaseLost(Attempt attempt) {
		if (abandon(attempt, StopReason.LEASE_LOST) != null) {
			removed(attempt);
			logger.warn("Worker {} lost the lease of {}: its handler was interrupted and nothing more is written for it",
					this.settings.id(), attempt);
			notifyListener((listener) -> listener.onLeaseLost(attempt.lease));
		}
	}

	/** The job was cancelled while it ran: stop the handler and settle it as cancelled. */
	void cancelRequested(Attempt attempt) {
		if (abandon(attempt, StopReason.CANCELLED) != null) {
			this.settler.submit(attempt, settlement(attempt, new Outcome.Cancelled()));
		}
	}

	/**
	 * On the timer thread, a few times a second (so no timer is kept per job): stops attempts past their
	 * timeout, and fences the worker: an attempt whose lease could not be renewed stops shortly before the
	 * lease can have run out on Redis (the local deadline counts from each renewal's send time), so another
	 * worker never runs the job while this one still does.
	 */
	void tick() {
		long now = System.nanoTime();
		List<String> stopped = new ArrayList<>();
		for (Attempt attempt : this.attempts.values()) {
			if (attempt.isOlderThan(attempt.timeout.toNanos(), now)) {
				timedOut(attempt);
			}
			long margin = Math.min(TimeUnit.SECONDS.toNanos(1), attempt.store.options().leaseDuration().toNanos() / 10);
			if (now - (attempt.leaseDeadlineNanos - margin) > 0 && abandon(attempt, StopReason.LEASE_EXPIRED) != null) {
				removed(attempt);
				stopped.add(attempt.lease.id());
				notifyListener((listener) -> listener.onLeaseLost(attempt.lease));
			}
		}
		if (!stopped.isEmpty()) {
			logger.warn("Worker {} stopped {} jobs whose leases ran out before Redis renewed them; they run again "
					+ "elsewhere: {}", this.settings.id(), stopped.size(), abbreviate(stopped));
		}
	}

	/**
	 * Takes every attempt still leased or running from its handler and hands its job back, newest first so
	 * the oldest is first in line again; a job whose handler called {@code System.exit} is settled as having
	 * crashed its worker instead, so it cannot take down every restart.
	 */
	void handBackUnfinished() {
		List<Attempt> unfinished = new ArrayList<>(this.attempts.values());
		unfinished.sort(Comparator.comparingLong((Attempt attempt) -> attempt.sequence).reversed());
		for (Attempt attempt : unfinished) {
			boolean exiting = callsExit(attempt);
			Attempt.State left = abandon(attempt, StopReason.SHUTDOWN);
			if (left != null) {
				Outcome outcome = exiting ? crashed(attempt) : new Outcome.HandedBack(Duration.ZERO, left == Attempt.State.RUNNING);
				this.settler.submit(attempt, settlement(attempt, outcome));
			}
		}
	}

	/** Settles at once, as crashed, the attempts whose handler is ending the process with {@code System.exit}. */
	int settleExitCallers() {
		int found = 0;
		for (Attempt attempt : this.attempts.values()) {
			if (callsExit(attempt) && abandon(attempt, StopReason.SHUTDOWN) != null) {
				found++;
				logger.error("{} called System.exit: its worker's process is ending. It counts as a stall, so a job "
						+ "that does so every time ends in the dead-letter queue", attempt);
				this.settler.submit(attempt, settlement(attempt, crashed(attempt)));
			}
		}
		return found;
	}

	private Outcome crashed(Attempt attempt) {
		return new Outcome.Crashed(new JobError(attempt + " called System.exit and took its worker's process down",
				"java.lang.System.exit", null, this.settings.id()));
	}

	private static boolean callsExit(Attempt attempt) {
		Thread thread = attempt.thread();
		if (thread == null) {
			return false;
		}
		for (StackTraceElement frame : thread.getStackTrace()) {
			if (frame.getClassName().equals("java.lang.Shutdown")
					|| (frame.getClassName().equals("java.lang.Runtime") && frame.getMethodName().equals("exit"))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * {@code LEASED | RUNNING -> ABANDONED} with its bookkeeping: no longer running; a handler that still holds
	 * its thread counts as stuck, and gets a thread lent in its place (so it keeps no slot) until
	 * {@code maxStuckHandlers} are lent. Returns the state it left, or {@code null} when someone else settles it.
	 */
	private Attempt.State abandon(Attempt attempt, StopReason why) {
		Attempt.State left;
		synchronized (attempt) {
			left = attempt.abandon(why);
			if (left == null) {
				return null;
			}
			if (left == Attempt.State.RUNNING) {
				this.stuck.incrementAndGet();
				if (this.lent.get() < this.settings.maxStuckHandlers()) {
					this.lent.incrementAndGet();
					attempt.threadLent = true;
					this.handlerThreads.lend();
					returnSlot(attempt);
				}
			}
		}
		leftRunning(attempt);
		return left;
	}

	private void leftRunning(Attempt attempt) {
		if (this.running.decrementAndGet() == 0) {
			synchronized (this.running) {
				this.running.notifyAll();
			}
		}
	}

	private void removed(Attempt attempt) {
		this.attempts.remove(attempt.key, attempt);
		this.suspect.compareAndSet(attempt, null);
	}

	private void returnSlot(Attempt attempt) {
		if (attempt.takeSlot()) {
			this.slots.release();
		}
	}

	void onFlowSettled(Runnable action) {
		this.flowSettled = action;
	}

	@Override
	public void written(Settler.Pending pending, boolean settled, boolean sentAgain) {
		Attempt attempt = pending.attempt();
		Outcome outcome = pending.settlement().outcome();
		if (outcome instanceof Outcome.FinishedLate) {
			return;
		}
		removed(attempt);
		// Refused after a lost reply while the lease cannot have run out, so no one else ended it: the lost first
		// send was written.
		boolean written = settled || (sentAgain && System.nanoTime() - attempt.leaseDeadlineNanos < 0);
		if (!written) {
			if (sentAgain) {
				logger.info("The outcome of {} was sent again after a lost reply and found its lease gone: it was "
						+ "probably written the first time", attempt);
			}
			else {
				logger.warn("{} finished after its lease was lost: its outcome was not written and the job may run "
						+ "again", attempt);
			}
			return;
		}
		Map<String, String> metadata = attempt.metadata();
		// Its settle may have put a flow's next job or callback for another queue in the relay.
		if (metadata.containsKey(FlowMetadata.HOME) || metadata.containsKey(FlowMetadata.CHAIN)
				|| metadata.containsKey(FlowMetadata.BATCH)) {
			this.flowSettled.run();
		}
		Duration took = Duration.ofNanos(System.nanoTime() - attempt.leasedNanos);
		LeasedJob lease = attempt.lease;
		Throwable failure = attempt.failure;
		if (outcome instanceof Outcome.Completed) {
			notifyListener((listener) -> listener.onCompleted(lease, took));
		}
		else if (outcome instanceof Outcome.Retry retry) {
			logger.info("Job {} ({}) failed on attempt {}, retrying in {}: {}", lease.id(), typeOf(lease),
					lease.attempt(), Durations.format(retry.delay()), retry.error().message());
			notifyListener((listener) -> listener.onRetrying(lease, failure, retry.delay(), took));
		}
		else if (outcome instanceof Outcome.Dead dead) {
			logger.warn("Job {} ({}) failed on attempt {} and was dead-lettered: {}", lease.id(), typeOf(lease),
					lease.attempt(), dead.error().message());
			notifyListener((listener) -> listener.onDeadLettered(lease, failure, took));
			JobHandlers.Registered handler = handlerOf(lease);
			if (handler != null && handler.options().onFailed() != null && failure != null) {
				runHook(attempt, "failed", () -> handler.options().onFailed().failed(failure, payloadOf(attempt, handler)));
			}
		}
		else if (outcome instanceof Outcome.HandedBack) {
			StopReason reason = (attempt.reason() != null) ? attempt.reason() : StopReason.SHUTDOWN;
			if (failure instanceof UnknownJobTypeException) {
				logger.info("Job {} has a type this worker does not handle yet; handed back for another worker: {}",
						lease.id(), failure.getMessage());
			}
			notifyListener((listener) -> listener.onHandedBack(lease, reason));
		}
		else if (outcome instanceof Outcome.Cancelled) {
			logger.info("Job {} ({}) was cancelled while it ran; its handler was stopped", lease.id(), typeOf(lease));
			notifyListener((listener) -> listener.onCancelled(lease));
		}
		else if (outcome instanceof Outcome.Crashed crashed) {
			notifyListener((listener) -> listener.onDeadLettered(lease, failure, took));
		}
	}

	@Override
	public void givenUp(Settler.Pending pending) {
		removed(pending.attempt());
	}

	@Override
	public void deadLettersTrimmed(JobStore store, long count) {
		logger.info("Queue '{}': the dead-letter retention removed {} dead letters (keeps {}{})", store.queue(), count,
				store.options().dead().maxCount(), (store.options().dead().maxAge() != null)
						? ", at most " + Durations.format(store.options().dead().maxAge()) : "");
		notifyListener((listener) -> listener.onDeadLettersTrimmed(store.queue(), count));
	}

	/** Waits until no attempt is leased or running any more, or {@code deadline} (nanoTime) passes. */
	boolean awaitHandlers(long deadline) {
		synchronized (this.running) {
			while (this.running.get() > 0) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					return false;
				}
				try {
					this.running.wait(left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

	/** Writes the outcomes still pending (within {@code timeout}) and stops the handler threads. */
	void shutdown(Duration timeout) {
		this.settler.stop(timeout);
		this.handlerThreads.shutdownNow();
		this.hooks.shutdown();
	}

	private Duration timeoutOf(LeasedJob lease) {
		Job job = lease.job();
		if (job != null) {
			if (job.timeout() != null) {
				return job.timeout();
			}
			JobHandlers.Registered handler = this.settings.handlers().get(job.type());
			if (handler != null && handler.options().timeout() != null) {
				return handler.options().timeout();
			}
		}
		return this.settings.timeout();
	}

	private RetryPolicy retryPolicyOf(LeasedJob lease) {
		JobHandlers.Registered handler = handlerOf(lease);
		return (handler != null && handler.options().retryPolicy() != null) ? handler.options().retryPolicy()
				: this.settings.retryPolicy();
	}

	private void notifyListener(Consumer<JobExecutionListener> call) {
		try {
			call.accept(this.settings.listener());
		}
		catch (Throwable ex) {
			// A listener's failure, even an Error, must not take a worker thread down with it.
			logger.warn("A job execution listener failed", ex);
		}
	}

	private static Duration waited(LeasedJob lease) {
		if (lease.job() == null) {
			return Duration.ZERO;
		}
		Duration waited = Duration.between(lease.job().createdAt(), lease.leasedAt());
		return waited.isNegative() ? Duration.ZERO : waited;
	}

	private static String typeOf(LeasedJob lease) {
		return (lease.job() != null) ? lease.job().type() : "unreadable";
	}

	static String abbreviate(List<String> ids) {
		return (ids.size() <= 10) ? ids.toString() : ids.subList(0, 10) + " and " + (ids.size() - 10) + " more";
	}

	private static String describe(Throwable failure) {
		String message = failure.getMessage();
		return (message == null || message.isBlank()) ? failure.getClass().getName() : message;
	}

	private static String stackTrace(Throwable failure) {
		StringWriter out = new StringWriter();
		try {
			failure.printStackTrace(new PrintWriter(out));
		}
		catch (RuntimeException | StackOverflowError ex) {
			return null;
		}
		String trace = out.toString();
		return (trace.length() <= STACK_TRACE_LIMIT) ? trace : trace.substring(0, STACK_TRACE_LIMIT) + "\n\t...";
	}

}
