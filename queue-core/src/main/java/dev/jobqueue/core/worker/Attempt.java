package dev.jobqueue.core.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.flow.FlowMetadata;
import dev.jobqueue.core.job.StopReason;
import dev.jobqueue.core.queue.Effect;
import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.QueueKeys;

/**
 * One attempt of a leased job in a worker, from lease to written outcome. Its state moves one way:
 * {@code LEASED -> RUNNING -> FINISHED}, or from {@code LEASED} or {@code RUNNING} to {@code ABANDONED}
 * (timeout, lost or expired lease, cancel, shutdown). Each transition is taken by exactly one party; the
 * {@link JobRunner} does the bookkeeping that goes with it (slot, running count, map entry, thread).
 */
final class Attempt implements JobContext {

	enum State {

		/** Leased; its handler has not started. */
		LEASED,

		/** Its handler runs. */
		RUNNING,

		/** Its handler returned or threw while the attempt was still its own: the outcome is being written. */
		FINISHED,

		/** Taken from its handler (see {@link #reason()}); the handler, if it started, was interrupted. */
		ABANDONED

	}

	final LeasedJob lease;

	final JobStore store;

	private final JobRunner runner;

	final String key;

	/** The order jobs were leased in, across lease calls. */
	final long sequence;

	final long leasedNanos = System.nanoTime();

	/** Longest time this attempt may run. */
	final Duration timeout;

	/** Local estimate of when the lease ends: lease length after the last renewal's send time. */
	volatile long leaseDeadlineNanos;

	/** What the handler threw, or why the attempt was abandoned as failed; for listeners. */
	volatile Throwable failure;

	private State state = State.LEASED;

	private StopReason reason;

	private Thread thread;

	/** Set when the handler returns or throws: until then an abandoned handler still holds its thread. */
	private boolean handlerExited;

	private final AtomicBoolean slotReturned = new AtomicBoolean();

	/** Whether this abandoned handler's thread was replaced by a lent one. */
	volatile boolean threadLent;

	/** Whether the middleware let the handler itself run: a hand-back before that does not count as an attempt. */
	volatile boolean handlerInvoked;

	/** Effects middleware asked for, applied with whatever settles this attempt. */
	final List<Effect> effects = new CopyOnWriteArrayList<>();

	Attempt(LeasedJob lease, JobStore store, JobRunner runner, long sequence, Duration timeout) {
		this.lease = lease;
		this.store = store;
		this.runner = runner;
		this.key = key(lease.tag(), lease.id());
		this.sequence = sequence;
		this.timeout = timeout;
		this.leaseDeadlineNanos = this.leasedNanos + store.options().leaseDuration().toNanos();
	}

	static String key(String tag, String id) {
		return tag + '\u0000' + id;
	}

	synchronized State state() {
		return this.state;
	}

	/** {@code LEASED -> RUNNING} on the handler's thread; {@code false} when abandoned before it started. */
	synchronized boolean start() {
		if (this.state != State.LEASED) {
			return false;
		}
		this.state = State.RUNNING;
		this.thread = Thread.currentThread();
		return true;
	}

	/** {@code RUNNING -> FINISHED}; {@code false} when the attempt was abandoned meanwhile. */
	synchronized boolean finish() {
		if (this.state != State.RUNNING) {
			return false;
		}
		this.state = State.FINISHED;
		return true;
	}

	/**
	 * {@code LEASED | RUNNING -> ABANDONED}, interrupting a running handler. Returns the state it left, or
	 * {@code null} when it was already finished or abandoned (someone else settles it).
	 */
	synchronized State abandon(StopReason why) {
		State left = this.state;
		if (left != State.LEASED && left != State.RUNNING) {
			return null;
		}
		this.state = State.ABANDONED;
		this.reason = why;
		if (this.thread != null) {
			this.thread.interrupt();
		}
		return left;
	}

	/** The handler returned or threw: its thread no longer belongs to this attempt. Clears an interrupt meant for it. */
	synchronized void handlerExited() {
		this.thread = null;
		this.handlerExited = true;
		Thread.interrupted();
	}

	synchronized boolean isHandlerRunning() {
		return this.thread != null && !this.handlerExited;
	}

	/** The thread running the handler, while it runs. */
	synchronized Thread thread() {
		return this.thread;
	}

	/** {@code true} the first time only, so a slot is returned once however the attempt ends. */
	boolean takeSlot() {
		return this.slotReturned.compareAndSet(false, true);
	}

	synchronized StopReason reason() {
		return this.reason;
	}

	boolean isOlderThan(long nanos, long now) {
		return now - this.leasedNanos > nanos;
	}

	@Override
	public String jobId() {
		return this.lease.id();
	}

	@Override
	public String type() {
		return (this.lease.job() != null) ? this.lease.job().type() : null;
	}

	@Override
	public String queue() {
		return this.lease.queue();
	}

	@Override
	public int attempt() {
		return this.lease.attempt();
	}

	@Override
	public Map<String, String> metadata() {
		return (this.lease.job() != null) ? this.lease.job().metadata() : Map.of();
	}

	@Override
	public synchronized Optional<StopReason> stopReason() {
		return Optional.ofNullable(this.reason);
	}

	@Override
	public void updateProgress(int progress) {
		updateProgress(progress, null);
	}

	@Override
	public void updateProgress(int progress, String message) {
		if (shouldStop()) {
			return;
		}
		try {
			if (!((message != null) ? this.store.updateProgress(this.lease, progress, message)
					: this.store.updateProgress(this.lease, progress))) {
				this.runner.leaseLost(this);
			}
		}
		catch (RuntimeException ex) {
			// Progress is advisory: a Redis hiccup must not fail the job.
			this.runner.outage().failed("progress", ex);
		}
	}

	@Override
	public Optional<String> previousResultJson() {
		String chain = metadata().get(FlowMetadata.CHAIN);
		String step = metadata().get(FlowMetadata.STEP);
		if (chain == null || step == null || Integer.parseInt(step) <= 1) {
			return Optional.empty();
		}
		String home = metadata().get(FlowMetadata.HOME);
		String chains = (home != null) ? QueueKeys.of(this.store.keys().prefix(), home).key("chains")
				: this.store.keys().key("chains");
		return Optional.ofNullable(this.store.redis().hget(chains,
				chain + ":result:" + (Integer.parseInt(step) - 1)));
	}

	@Override
	public <T> Optional<T> previousResult(Class<T> type) {
		return previousResultJson().map((json) -> this.store.options().codec().read(json, type));
	}

	@Override
	public String toString() {
		return "job " + this.lease.id() + " (" + ((type() != null) ? type() : "unreadable") + ", attempt "
				+ this.lease.attempt() + ")";
	}

}
