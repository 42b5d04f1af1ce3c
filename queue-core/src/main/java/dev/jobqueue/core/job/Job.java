package dev.jobqueue.core.job;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.jobqueue.core.codec.PayloadCodec;

/**
 * A job: a type that names its handler, a JSON payload, and options. Immutable; the {@code with...}
 * methods return a copy.
 *
 * @param id unique id; a caller-chosen id is an idempotency key (enqueueing an existing id does nothing)
 * @param type the job type, e.g. {@code "send_email"}
 * @param queue the queue the job is for, or {@code null} for the queue it is enqueued on
 * @param payload the payload as JSON
 * @param priority higher runs first, see {@link Priority}
 * @param createdAt when the job was created
 * @param attempts how many times the job was started (the current attempt, inside a handler)
 * @param maxRetries retries after the first failure, or {@code null} for the worker's default
 * @param metadata free-form string pairs for tracing and debugging
 * @param timeout longest time one attempt may run, or {@code null} for the worker's default
 * @param backoff delays between retries, or {@code null} for the worker's default
 * @param runAt the time to run at, or {@code null}
 * @param delay how long to wait from enqueueing (judged by Redis's clock), or {@code null}
 * @param idempotent whether the caller chose the id, making it an idempotency key: it stays taken for the
 * queue's idempotency window, however soon the job itself is forgotten
 */
public record Job(String id, String type, String queue, String payload, int priority, Instant createdAt, int attempts,
		Integer maxRetries, Map<String, String> metadata, Duration timeout, BackOff backoff, Instant runAt,
		Duration delay, boolean idempotent) {

	public Job {
		requireText(id, "id");
		requireText(type, "type");
		Objects.requireNonNull(payload, "payload");
		Objects.requireNonNull(createdAt, "createdAt");
		Priority.check(priority);
		metadata = (metadata == null) ? Map.of() : Map.copyOf(metadata);
		if (maxRetries != null && maxRetries < 0) {
			throw new IllegalArgumentException("maxRetries must be zero or positive");
		}
		if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
			throw new IllegalArgumentException("A timeout must be positive");
		}
		if (delay != null && delay.isNegative()) {
			throw new IllegalArgumentException("A delay must be zero or positive");
		}
		if (backoff instanceof BackOff.Custom) {
			throw new IllegalArgumentException("A custom back-off is code and cannot be stored with a job; "
					+ "set it on the worker's RetryPolicy for this job type instead");
		}
	}

	/** A job of {@code type} whose payload is {@code payload} written as JSON. */
	public static Job of(String type, Object payload) {
		return of(type, payload, PayloadCodec.defaults());
	}

	/** A job of {@code type} whose payload is written as JSON by {@code codec}. */
	public static Job of(String type, Object payload, PayloadCodec codec) {
		return create(type, codec.write(payload));
	}

	/** A job of {@code type} with a payload that is already JSON; invalid JSON is refused here. */
	public static Job ofJson(String type, String json) {
		PayloadCodec.defaults().readTree(json);
		return create(type, json);
	}

	private static Job create(String type, String json) {
		// Millisecond precision: what Redis stores, so a job reads back equal to itself. The id carries the same time,
		// so the stored job need not (JobEnvelope).
		long now = System.currentTimeMillis();
		return new Job(JobIds.at(now), type, null, json, Priority.NORMAL, Instant.ofEpochMilli(now),
				0, null, Map.of(), null, null, null, null, false);
	}

	/** The payload bound to {@code type}. */
	public <T> T payloadAs(Class<T> type) {
		return PayloadCodec.defaults().read(this.payload, type);
	}

	/** A copy with a caller-chosen id: an idempotency key (see {@link #idempotent()}). */
	public Job withId(String id) {
		return new Job(id, this.type, this.queue, this.payload, this.priority, this.createdAt, this.attempts,
				this.maxRetries, this.metadata, this.timeout, this.backoff, this.runAt, this.delay, true);
	}

	public Job withQueue(String queue) {
		return new Job(this.id, this.type, queue, this.payload, this.priority, this.createdAt, this.attempts,
				this.maxRetries, this.metadata, this.timeout, this.backoff, this.runAt, this.delay, this.idempotent);
	}

	public Job withPriority(int priority) {
		return new Job(this.id, this.type, this.queue, this.payload, priority, this.createdAt, this.attempts,
				this.maxRetries, this.metadata, this.timeout, this.backoff, this.runAt, this.delay, this.idempotent);
	}

	public Job withMaxRetries(int maxRetries) {
		return new Job(this.id, this.type, this.queue, this.payload, this.priority, this.createdAt, this.attempts,
				maxRetries, this.metadata, this.timeout, this.backoff, this.runAt, this.delay, this.idempotent);
	}

	public Job withMetadata(String key, String value) {
		Map<String, String> metadata = new LinkedHashMap<>(this.metadata);
		metadata.put(requireText(key, "metadata key"), Objects.requireNonNull(value, "metadata value"));
		return withMetadata(metadata);
	}

	public Job withMetadata(Map<String, String> metadata) {
		return new Job(this.id, this.type, this.queue, this.payload, this.priority, this.createdAt, this.attempts,
				this.maxRetries, metadata, this.timeout, this.backoff, this.runAt, this.delay, this.idempotent);
	}

	public Job withTimeout(Duration timeout) {
		return new Job(this.id, this.type, this.queue, this.payload, this.priority, this.createdAt, this.attempts,
				this.maxRetries, this.metadata, timeout, this.backoff, this.runAt, this.delay, this.idempotent);
	}

	public Job withBackoff(BackOff backoff) {
		return new Job(this.id, this.type, this.queue, this.payload, this.priority, this.createdAt, this.attempts,
				this.maxRetries, this.metadata, this.timeout, backoff, this.runAt, this.delay, this.idempotent);
	}

	/** Runs the job once {@code delay} has passed on Redis's clock; replaces any {@link #withRunAt run-at} time. */
	public Job withDelay(Duration delay) {
		return new Job(this.id, this.type, this.queue, this.payload, this.priority, this.createdAt, this.attempts,
				this.maxRetries, this.metadata, this.timeout, this.backoff, null, delay, this.idempotent);
	}

	/** Runs the job at {@code runAt} (compared with Redis's clock); replaces any {@link #withDelay delay}. */
	public Job withRunAt(Instant runAt) {
		return new Job(this.id, this.type, this.queue, this.payload, this.priority, this.createdAt, this.attempts,
				this.maxRetries, this.metadata, this.timeout, this.backoff, runAt, null, this.idempotent);
	}

	/** A copy as leased for its {@code attempts}-th run. */
	public Job withAttempts(int attempts) {
		return new Job(this.id, this.type, this.queue, this.payload, this.priority, this.createdAt, attempts,
				this.maxRetries, this.metadata, this.timeout, this.backoff, this.runAt, this.delay, this.idempotent);
	}

	private static String requireText(String value, String name) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("A job " + name + " must not be empty");
		}
		if (value.length() > 512) {
			throw new IllegalArgumentException("A job " + name + " must be at most 512 characters");
		}
		// Control characters separate the events of one stream entry (common.lua's batch_event) and a history's ids.
		if (value.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException("A job " + name + " must not contain control characters");
		}
		return value;
	}

}
