package dev.jobqueue.spring.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of one dispatch; anything not set keeps the job type's or the application's default.
 * Immutable: each method returns a copy.
 *
 * @param queue the queue to put the job on
 * @param priority higher runs first (see {@link dev.jobqueue.core.job.Priority})
 * @param maxRetries retries after the first failure
 * @param delay how long to wait before the job may run, judged by Redis's clock
 * @param runAt when the job may run
 * @param timeout longest time one attempt may run
 * @param id the job id, an idempotency key: dispatching an id that exists creates nothing
 * @param metadata string pairs stored with the job, for tracing and debugging
 * @param unique a unique key: no job is created while another job holding it has not finished
 * @param uniqueUntilStart whether the unique key is released as its job starts rather than when it finishes
 * @param durable wait for replicas ({@code jobqueue.scaling.durable-*}) before returning, whatever the queue's own
 * setting
 * @param afterCommit inside a Spring-managed transaction, store the job after the commit and drop it at a rollback
 * ({@code null}: as {@code jobqueue.dispatch.after-commit} says)
 */
public record DispatchOptions(String queue, Integer priority, Integer maxRetries, Duration delay, Instant runAt,
		Duration timeout, String id, Map<String, String> metadata, String unique, boolean uniqueUntilStart,
		boolean durable, Boolean afterCommit) {

	private static final DispatchOptions NONE = new DispatchOptions(null, null, null, null, null, null, null, Map.of(),
			null, false, false, null);

	public DispatchOptions {
		metadata = Map.copyOf(metadata);
	}

	/** Options that follow {@code jobqueue.dispatch.after-commit}. */
	public DispatchOptions(String queue, Integer priority, Integer maxRetries, Duration delay, Instant runAt,
			Duration timeout, String id, Map<String, String> metadata, String unique, boolean uniqueUntilStart,
			boolean durable) {
		this(queue, priority, maxRetries, delay, runAt, timeout, id, metadata, unique, uniqueUntilStart, durable, null);
	}

	public static DispatchOptions none() {
		return NONE;
	}

	public static DispatchOptions onQueue(String queue) {
		return NONE.queue(queue);
	}

	public DispatchOptions queue(String queue) {
		return new DispatchOptions(queue, this.priority, this.maxRetries, this.delay, this.runAt, this.timeout, this.id,
				this.metadata, this.unique, this.uniqueUntilStart, this.durable, this.afterCommit);
	}

	public DispatchOptions priority(int priority) {
		return new DispatchOptions(this.queue, priority, this.maxRetries, this.delay, this.runAt, this.timeout, this.id,
				this.metadata, this.unique, this.uniqueUntilStart, this.durable, this.afterCommit);
	}

	public DispatchOptions maxRetries(int maxRetries) {
		return new DispatchOptions(this.queue, this.priority, maxRetries, this.delay, this.runAt, this.timeout, this.id,
				this.metadata, this.unique, this.uniqueUntilStart, this.durable, this.afterCommit);
	}

	public DispatchOptions delay(Duration delay) {
		return new DispatchOptions(this.queue, this.priority, this.maxRetries, delay, null, this.timeout, this.id,
				this.metadata, this.unique, this.uniqueUntilStart, this.durable, this.afterCommit);
	}

	public DispatchOptions runAt(Instant runAt) {
		return new DispatchOptions(this.queue, this.priority, this.maxRetries, null, runAt, this.timeout, this.id,
				this.metadata, this.unique, this.uniqueUntilStart, this.durable, this.afterCommit);
	}

	public DispatchOptions timeout(Duration timeout) {
		return new DispatchOptions(this.queue, this.priority, this.maxRetries, this.delay, this.runAt, timeout, this.id,
				this.metadata, this.unique, this.uniqueUntilStart, this.durable, this.afterCommit);
	}

	public DispatchOptions id(String id) {
		return new DispatchOptions(this.queue, this.priority, this.maxRetries, this.delay, this.runAt, this.timeout, id,
				this.metadata, this.unique, this.uniqueUntilStart, this.durable, this.afterCommit);
	}

	public DispatchOptions metadata(String key, String value) {
		Map<String, String> metadata = new LinkedHashMap<>(this.metadata);
		metadata.put(key, value);
		return new DispatchOptions(this.queue, this.priority, this.maxRetries, this.delay, this.runAt, this.timeout,
				this.id, metadata, this.unique, this.uniqueUntilStart, this.durable, this.afterCommit);
	}

	/**
	 * Creates the job only if no other job holding {@code key} is pending, scheduled, retrying or running; else
	 * the reference names that job. The key is released when its job completes, is skipped, dead-lettered or
	 * cancelled, in the same script.
	 */
	public DispatchOptions unique(String key) {
		return new DispatchOptions(this.queue, this.priority, this.maxRetries, this.delay, this.runAt, this.timeout,
				this.id, this.metadata, key, false, this.durable, this.afterCommit);
	}

	/** As {@link #unique(String)}, but the key is released when the job starts: one more may wait meanwhile. */
	public DispatchOptions uniqueUntilStart(String key) {
		return new DispatchOptions(this.queue, this.priority, this.maxRetries, this.delay, this.runAt, this.timeout,
				this.id, this.metadata, key, true, this.durable, this.afterCommit);
	}

	/**
	 * Returns only once {@code jobqueue.scaling.durable-replicas} replicas have the job, or throws
	 * {@link dev.jobqueue.core.queue.NotReplicatedException} (the job is stored, not yet replicated).
	 */
	public DispatchOptions durably() {
		return new DispatchOptions(this.queue, this.priority, this.maxRetries, this.delay, this.runAt, this.timeout,
				this.id, this.metadata, this.unique, this.uniqueUntilStart, true, this.afterCommit);
	}

	/**
	 * Inside a Spring-managed transaction: {@code true} stores the job once the transaction commits and drops it
	 * at a rollback, {@code false} stores it at once. Outside a transaction the job is stored at once either way.
	 */
	public DispatchOptions afterCommit(boolean afterCommit) {
		return new DispatchOptions(this.queue, this.priority, this.maxRetries, this.delay, this.runAt, this.timeout,
				this.id, this.metadata, this.unique, this.uniqueUntilStart, this.durable, afterCommit);
	}

	/** Stores the job at once, even inside a transaction that may still roll back: {@code afterCommit(false)}. */
	public DispatchOptions immediately() {
		return afterCommit(false);
	}

}
