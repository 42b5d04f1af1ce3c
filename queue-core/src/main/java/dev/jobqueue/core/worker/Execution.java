package dev.jobqueue.core.worker;

import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.RedisJobQueue;

/**
 * One leased job in a worker, from lease to written outcome. Exactly one party settles it (the
 * handler's thread, the timeout, the heartbeat that finds the lease lost, or shutdown), decided by
 * one compare-and-set; the others write nothing.
 */
final class Execution implements JobContext {

	enum Status {

		RUNNING, FINISHING, TIMED_OUT, LEASE_LOST, RELEASED

	}

	final LeasedJob leased;

	final RedisJobQueue queue;

	private final JobRunner runner;

	final long startedNanos = System.nanoTime();

	private final String key;

	/** Local estimate of when the lease ends, renewed by each heartbeat. */
	volatile long leaseDeadlineNanos;

	volatile ScheduledFuture<?> timeout;

	private final AtomicReference<Status> status = new AtomicReference<>(Status.RUNNING);

	private final AtomicBoolean slotReturned = new AtomicBoolean();

	private Thread thread;

	Execution(LeasedJob leased, RedisJobQueue queue, JobRunner runner) {
		this.leased = leased;
		this.queue = queue;
		this.runner = runner;
		this.key = key(leased.queue(), leased.id());
		this.leaseDeadlineNanos = this.startedNanos + queue.options().leaseDuration().toNanos();
	}

	String key() {
		return this.key;
	}

	static String key(String queue, String id) {
		return queue + '\u0000' + id;
	}

	Status status() {
		return this.status.get();
	}

	/** The handler returned or threw while the job was still ours: the caller writes the outcome. */
	boolean finish() {
		return this.status.compareAndSet(Status.RUNNING, Status.FINISHING);
	}

	/** Takes the job away from its handler (timeout, lost lease, shutdown) and interrupts it. */
	boolean abandon(Status why) {
		if (this.status.compareAndSet(Status.RUNNING, why)) {
			interruptHandler();
			return true;
		}
		return false;
	}

	/** {@code true} the first time only, so a slot is returned once however the job ends. */
	boolean returnSlot() {
		return this.slotReturned.compareAndSet(false, true);
	}

	synchronized void attach() {
		this.thread = Thread.currentThread();
	}

	/** Called by the handler thread when done; clears an interrupt meant for this job only. */
	synchronized void detach() {
		this.thread = null;
		Thread.interrupted();
	}

	private synchronized void interruptHandler() {
		if (this.thread != null) {
			this.thread.interrupt();
		}
	}

	@Override
	public String jobId() {
		return this.leased.id();
	}

	@Override
	public String type() {
		return (this.leased.job() != null) ? this.leased.job().type() : null;
	}

	@Override
	public String queue() {
		return this.leased.queue();
	}

	@Override
	public int attempt() {
		return this.leased.attempt();
	}

	@Override
	public Map<String, String> metadata() {
		return (this.leased.job() != null) ? this.leased.job().metadata() : Map.of();
	}

	@Override
	public boolean isCancelled() {
		return this.status.get() != Status.RUNNING;
	}

	@Override
	public void updateProgress(int progress) {
		if (!isCancelled() && !this.queue.updateProgress(this.leased, progress)) {
			this.runner.leaseLost(this);
		}
	}

}
