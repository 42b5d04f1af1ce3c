package dev.jobqueue.spring.dispatch;

import java.util.Objects;
import java.util.Optional;

import dev.jobqueue.core.job.JobState;

/**
 * A dispatched job: its id and queue, and whether this dispatch created it. A dispatch with an id that is
 * taken (the id is an idempotency key) creates nothing and says what holds the id. Immutable.
 */
public final class JobRef {

	private final String id;

	private final String queue;

	private final boolean created;

	private final JobState existingState;

	JobRef(String id, String queue, boolean created, JobState existingState) {
		this.id = Objects.requireNonNull(id, "id");
		this.queue = Objects.requireNonNull(queue, "queue");
		this.created = created;
		this.existingState = existingState;
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
