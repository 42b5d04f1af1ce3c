package dev.jobqueue.core.worker;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.queue.CorruptJobException;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.RedisJobQueue;

/**
 * Runs a worker's leased jobs on handler threads and settles each exactly once: the completion is
 * handed to the {@link Acknowledger}, a failure is written as a retry or a dead letter while the
 * lease may still be held, a timeout or a lost lease takes the job from its handler (interrupted,
 * nothing more written for that attempt). Thread-safe.
 */
final class JobRunner {

	// Logged under Worker: that is the class users know and configure.
	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private static final int STACK_TRACE_LIMIT = 8_000;

	private final String workerId;

	private final JobHandlers handlers;

	private final RetryPolicy retryPolicy;

	private final Duration defaultTimeout;

	private final JobExecutionListener listener;

	private final Semaphore slots;

	private final ScheduledExecutorService timeouts;

	private final HandlerThreads handlerThreads;

	private final Acknowledger acknowledger;

	/** Leased jobs not settled yet: running, or finished with the completion not yet written. */
	private final Map<String, Execution> executions = new ConcurrentHashMap<>();

	/** Executions whose handler still owns them (status RUNNING). */
	private final AtomicInteger running = new AtomicInteger();

	JobRunner(String workerId, JobHandlers handlers, RetryPolicy retryPolicy, Duration defaultTimeout,
			JobExecutionListener listener, Semaphore slots, ScheduledExecutorService timeouts,
			HandlerThreads handlerThreads, String threadPrefix) {
		this.workerId = workerId;
		this.handlers = handlers;
		this.retryPolicy = retryPolicy;
		this.defaultTimeout = defaultTimeout;
		this.listener = listener;
		this.slots = slots;
		this.timeouts = timeouts;
		this.handlerThreads = handlerThreads;
		this.acknowledger = new Acknowledger(threadPrefix + "ack", this::completionWritten, this::completionDropped);
		this.acknowledger.start();
	}

	/** The jobs leased and not settled yet. */
	Collection<Execution> executions() {
		return this.executions.values();
	}

	/** Writes the completions still pending (within {@code timeout}) and stops the handler threads. */
	void shutdown(Duration timeout) {
		this.acknowledger.stop(timeout);
		this.handlerThreads.shutdownNow();
	}

	/**
	 * Runs a leased job on a handler thread, in the slot the caller took for it. Returns
	 * {@code false}, with the lease handed back and the slot still the caller's, when the handler
	 * threads are shut down.
	 */
	boolean run(RedisJobQueue queue, LeasedJob job) {
		Execution execution = new Execution(job, queue, this);
		this.running.incrementAndGet();
		Execution earlier = this.executions.put(execution.key(), execution);
		if (earlier != null) {
			// Redis granted this job again, so the earlier lease is gone: that attempt must stop.
			leaseLost(earlier);
		}
		Duration timeout = timeoutOf(job);
		if (timeout != null) {
			execution.timeout = this.timeouts.schedule(() -> timedOut(execution, timeout), timeout.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		try {
			this.handlerThreads.execute(() -> execute(execution));
			return true;
		}
		catch (RejectedExecutionException ex) {
			if (execution.abandon(Execution.Status.RELEASED)) {
				settled();
			}
			cancelTimeout(execution);
			this.executions.remove(execution.key(), execution);
			execution.returnSlot();
			giveBack(queue, List.of(job));
			return false;
		}
	}

	private void execute(Execution execution) {
		try {
			Object result = null;
			Throwable failure = null;
			execution.attach();
			try {
				notifyListener((listener) -> listener.onStarted(execution.leased, waited(execution.leased)));
				result = invoke(execution);
			}
			catch (Throwable ex) {
				failure = ex;
			}
			finally {
				execution.detach();
			}
			cancelTimeout(execution);
			String resultJson = null;
			if (failure == null && result != null) {
				try {
					resultJson = execution.queue.options().codec().write(result);
				}
				catch (RuntimeException ex) {
					failure = ex;
				}
			}
			if (execution.finish()) {
				// The outcome is handed off before the job counts as settled, so a graceful stop waits for it.
				if (failure == null) {
					this.acknowledger.submit(execution, resultJson);
				}
				else {
					recordFailure(execution, failure);
				}
				settled();
			}
			else {
				// Abandoned while running (timeout, lost lease, shutdown): the extra thread lent then is not needed now.
				this.handlerThreads.giveBack();
			}
		}
		finally {
			returnSlot(execution);
		}
	}

	private Object invoke(Execution execution) throws Exception {
		LeasedJob leased = execution.leased;
		if (!leased.isReadable()) {
			throw new CorruptJobException(leased.problem());
		}
		Job job = leased.job();
		JobHandlers.Registered handler = this.handlers.get(job.type());
		if (handler == null) {
			throw new UnknownJobTypeException("No handler for job type '" + job.type() + "' on worker " + this.workerId
					+ " (it handles " + this.handlers.types() + ")");
		}
		Object argument = handler.takesJob() ? job : execution.queue.options().codec().read(job.payload(), handler.payloadType());
		return handler.function().apply(argument, execution);
	}

	/** Writes a failed attempt as a retry or a dead letter; never throws, and always settles the execution. */
	private void recordFailure(Execution execution, Throwable failure) {
		LeasedJob leased = execution.leased;
		try {
			Duration delay = retryPolicyOf(leased).retryDelay(leased.job(), leased.failures() + 1, failure);
			JobError error = new JobError(describe(failure), failure.getClass().getName(), stackTrace(failure),
					this.workerId);
			Duration took = Duration.ofNanos(System.nanoTime() - execution.startedNanos);
			boolean written = writeWhileLeased(execution, () -> (delay != null)
					? execution.queue.retry(leased, error, delay) : execution.queue.deadLetter(leased, error));
			if (!written) {
				logger.warn("Job {} failed after its lease was lost; the failure was not recorded: {}", leased.id(),
						error.message());
			}
			else if (delay != null) {
				logger.info("Job {} ({}) failed on attempt {}, retrying in {}: {}", leased.id(), typeOf(leased),
						leased.attempt(), delay, error.message());
				notifyListener((listener) -> listener.onRetrying(leased, failure, delay, took));
			}
			else {
				logger.warn("Job {} ({}) failed on attempt {} and was dead-lettered: {}", leased.id(), typeOf(leased),
						leased.attempt(), error.message());
				notifyListener((listener) -> listener.onDeadLettered(leased, failure, took));
			}
		}
		catch (RuntimeException | StackOverflowError ex) {
			logger.error("Could not record the failure of job {}; it will run again when its lease expires", leased.id(),
					ex);
		}
		finally {
			this.executions.remove(execution.key(), execution);
		}
	}

	private void timedOut(Execution execution, Duration timeout) {
		if (execution.abandon(Execution.Status.TIMED_OUT)) {
			// A handler that ignores the interrupt keeps its thread, not its slot: the worker goes on.
			this.handlerThreads.lend();
			JobTimeoutException failure = new JobTimeoutException("Job " + execution.leased.id() + " ran longer than "
					+ "its timeout of " + timeout + " (attempt " + execution.leased.attempt() + ") and was interrupted");
			Runnable settle = () -> {
				try {
					recordFailure(execution, failure);
				}
				finally {
					settled();
					returnSlot(execution);
				}
			};
			try {
				// Written on a handler thread: the timeout thread serves every job's timeout and must not wait.
				this.handlerThreads.execute(settle);
			}
			catch (RejectedExecutionException ex) {
				settle.run();
			}
		}
	}

	void leaseLost(Execution execution) {
		if (execution.abandon(Execution.Status.LEASE_LOST)) {
			settled();
			this.handlerThreads.lend();
			cancelTimeout(execution);
			this.executions.remove(execution.key(), execution);
			returnSlot(execution);
			logger.warn("Worker {} lost the lease of job {}: its handler was interrupted and nothing more will be "
					+ "written for this attempt", this.workerId, execution.leased.id());
			notifyListener((listener) -> listener.onLeaseLost(execution.leased));
		}
	}

	void completionWritten(Execution execution, boolean acked) {
		this.executions.remove(execution.key(), execution);
		if (acked) {
			Duration took = Duration.ofNanos(System.nanoTime() - execution.startedNanos);
			notifyListener((listener) -> listener.onCompleted(execution.leased, took));
		}
		else {
			logger.warn("Job {} finished after its lease was lost: the result was dropped and the job may run again",
					execution.leased.id());
		}
	}

	/** A completion the acknowledger could not write: the lease is left to expire, and the job runs again. */
	void completionDropped(Execution execution) {
		this.executions.remove(execution.key(), execution);
	}

	/** Takes every still-running job from its handler and hands its lease back, so it runs again elsewhere at once. */
	void releaseUnfinished() {
		Map<RedisJobQueue, List<LeasedJob>> byQueue = new LinkedHashMap<>();
		for (Execution execution : this.executions.values()) {
			if (execution.abandon(Execution.Status.RELEASED)) {
				settled();
				this.handlerThreads.lend();
				cancelTimeout(execution);
				this.executions.remove(execution.key(), execution);
				byQueue.computeIfAbsent(execution.queue, (queue) -> new ArrayList<>()).add(execution.leased);
			}
		}
		byQueue.forEach(this::giveBack);
	}

	private void giveBack(RedisJobQueue queue, List<LeasedJob> leases) {
		try {
			long released = queue.release(leases);
			logger.info("Worker {} handed back {} unfinished jobs of queue '{}'", this.workerId, released, queue.name());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not hand back {} jobs of queue '{}'; they run again when their lease expires: {}",
					leases.size(), queue.name(), ex.toString());
		}
	}

	/** Retries a write while Redis is unreachable and the lease may still be ours. */
	private boolean writeWhileLeased(Execution execution, BooleanSupplier write) {
		long pause = 50;
		while (true) {
			try {
				return write.getAsBoolean();
			}
			catch (JedisConnectionException ex) {
				if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) - execution.leaseDeadlineNanos > 0) {
					throw ex;
				}
				sleep(pause);
				pause = Math.min(pause * 2, 2_000);
			}
		}
	}

	/** Waits until no handler owns a job any more, or {@code deadline} (nanoTime) passes. */
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

	/** One execution left the RUNNING status. */
	private void settled() {
		if (this.running.decrementAndGet() == 0) {
			synchronized (this.running) {
				this.running.notifyAll();
			}
		}
	}

	private void returnSlot(Execution execution) {
		if (execution.returnSlot()) {
			this.slots.release();
		}
	}

	private static void cancelTimeout(Execution execution) {
		ScheduledFuture<?> timeout = execution.timeout;
		if (timeout != null) {
			timeout.cancel(false);
		}
	}

	private Duration timeoutOf(LeasedJob job) {
		if (job.job() != null) {
			if (job.job().timeout() != null) {
				return job.job().timeout();
			}
			JobHandlers.Registered handler = this.handlers.get(job.job().type());
			if (handler != null && handler.options().timeout() != null) {
				return handler.options().timeout();
			}
		}
		return this.defaultTimeout;
	}

	private RetryPolicy retryPolicyOf(LeasedJob job) {
		JobHandlers.Registered handler = (job.job() != null) ? this.handlers.get(job.job().type()) : null;
		return (handler != null && handler.options().retryPolicy() != null) ? handler.options().retryPolicy()
				: this.retryPolicy;
	}

	private void notifyListener(Consumer<JobExecutionListener> call) {
		try {
			call.accept(this.listener);
		}
		catch (Throwable ex) {
			// A listener's failure, even an Error, must not take a worker thread down with it.
			logger.warn("A job execution listener failed", ex);
		}
	}

	private static Duration waited(LeasedJob job) {
		if (job.job() == null) {
			return Duration.ZERO;
		}
		Duration waited = Duration.between(job.job().createdAt(), job.leasedAt());
		return waited.isNegative() ? Duration.ZERO : waited;
	}

	private static String typeOf(LeasedJob job) {
		return (job.job() != null) ? job.job().type() : "unreadable";
	}

	private static String describe(Throwable failure) {
		String message = failure.getMessage();
		return (message == null || message.isBlank()) ? failure.getClass().getName() : message;
	}

	private static String stackTrace(Throwable failure) {
		StringWriter out = new StringWriter();
		failure.printStackTrace(new PrintWriter(out));
		String trace = out.toString();
		return (trace.length() <= STACK_TRACE_LIMIT) ? trace : trace.substring(0, STACK_TRACE_LIMIT) + "\n\t...";
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
