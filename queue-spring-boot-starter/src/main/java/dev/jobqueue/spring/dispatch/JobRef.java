package dev.jobqueue.spring.dispatch;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

import dev.jobqueue.core.codec.PayloadBindingException;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.CancelResult;

/**
 * A dispatched job, and a handle to it: its id and queue, whether this dispatch created it, and reads of its
 * state and result from Redis. A dispatch with an id that is taken (the id is an idempotency key) creates
 * nothing and says what holds the id. Immutable and thread-safe; every read asks Redis (errors as
 * {@link JobQueueException}). Equal references name the same job.
 */
public final class JobRef {

	private static final Set<JobState> FINAL = EnumSet.of(JobState.COMPLETED, JobState.DEAD, JobState.CANCELLED,
			JobState.SKIPPED);

	private static final long FIRST_POLL_MILLIS = 10;

	private static final long MAX_POLL_MILLIS = 200;

	private final String id;

	private final String queue;

	private final boolean created;

	private final JobState existingState;

	private final JobAccess access;

	JobRef(String id, String queue, boolean created, JobState existingState) {
		this(id, queue, created, existingState, null);
	}

	JobRef(String id, String queue, boolean created, JobState existingState, JobAccess access) {
		this.id = Objects.requireNonNull(id, "id");
		this.queue = Objects.requireNonNull(queue, "queue");
		this.created = created;
		this.existingState = existingState;
		this.access = access;
	}

	/** A handle to job {@code id} of {@code queue}, read through {@code access}: for dispatchers of one's own. */
	public static JobRef of(String id, String queue, boolean created, JobAccess access) {
		return new JobRef(id, queue, created, null, Objects.requireNonNull(access, "access"));
	}

	/**
	 * A reference to a job that a test double recorded or ran instead of storing it (the test kit's
	 * recording dispatcher): created, nothing looked up in Redis.
	 */
	public static JobRef recorded(String id, String queue) {
		return new JobRef(id, queue, true, null);
	}

	public String id() {
		return this.id;
	}

	public String queue() {
		return this.queue;
	}

	/** {@code false} when a job with this id already existed, or its idempotency key still lives: nothing changed. */
	public boolean created() {
		return this.created;
	}

	/**
	 * When not {@link #created()}: the state of the job holding this id, or empty when that job finished and
	 * is no longer kept (its idempotency key alone remains).
	 */
	public Optional<JobState> existingState() {
		return Optional.ofNullable(this.existingState);
	}

	/**
	 * The job as its queue knows it now; empty before it is stored (a dispatch waiting for its transaction to
	 * commit, or dropped at a rollback) and after its retention forgot it.
	 */
	public Optional<JobInfo> info() {
		return access().info(this.queue, this.id);
	}

	/** Where the job is now; empty when it is not stored (see {@link #info()}). */
	public Optional<JobState> state() {
		return info().map(JobInfo::state);
	}

	/**
	 * The result its handler returned, bound to {@code type} with the codec payloads use; empty until the job
	 * completed, or when its handler returned nothing. A result that does not bind is a
	 * {@link PayloadBindingException}.
	 */
	public <T> Optional<T> result(Class<T> type) {
		return resultJson().map((json) -> access().codec().read(json, type));
	}

	/** The result bound to a generic type, e.g. {@code new TypeReference<List<Receipt>>() {}}; see {@link #result(Class)}. */
	public <T> Optional<T> result(TypeReference<T> type) {
		return resultJson().map((json) -> {
			try {
				return access().codec().mapper().readValue(json, type);
			}
			catch (JacksonException ex) {
				throw new PayloadBindingException("The result of job " + this.id + " does not bind to " + type.getType()
						.getTypeName() + ": " + ex.getOriginalMessage(), ex);
			}
		});
	}

	private Optional<String> resultJson() {
		return info().filter((info) -> info.state() == JobState.COMPLETED).map(JobInfo::result);
	}

	/** Cancels the job: a waiting job at once, a running one at its worker's next heartbeat. */
	public CancelResult cancel() {
		return access().cancel(this.queue, this.id);
	}

	/**
	 * Waits until the job has finished (completed, dead-lettered, cancelled or skipped) and returns how it
	 * ended; throws {@link JobWaitTimeoutException} when it has not within {@code timeout}. Polls Redis, first
	 * every few milliseconds then every 200 ms, in the caller's thread.
	 */
	public JobInfo awaitCompletion(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long pause = FIRST_POLL_MILLIS;
		JobState last = null;
		while (true) {
			Optional<JobInfo> info = info();
			if (info.isPresent()) {
				last = info.get().state();
				if (FINAL.contains(last)) {
					return info.get();
				}
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new JobWaitTimeoutException(this.id, timeout, last);
			}
			try {
				Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new JobQueueException("Interrupted while waiting for job " + this.id + " to finish", ex);
			}
			pause = Math.min(pause * 2, MAX_POLL_MILLIS);
		}
	}

	private JobAccess access() {
		if (this.access == null) {
			throw new IllegalStateException("Job reference " + this.id + " was made without access to its queue");
		}
		return this.access;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof JobRef ref && this.id.equals(ref.id) && this.queue.equals(ref.queue);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.id, this.queue);
	}

	/** The id, so a reference reads as the job's id in logs and JSON. */
	@Override
	public String toString() {
		return this.id;
	}

}
