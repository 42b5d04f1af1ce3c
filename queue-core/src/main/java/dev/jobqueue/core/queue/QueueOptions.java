package dev.jobqueue.core.queue;

import java.time.Duration;
import java.util.Objects;

import dev.jobqueue.core.codec.PayloadCodec;

/**
 * Settings of a {@link RedisJobQueue}. Immutable; the {@code with...} methods return a copy.
 *
 * @param keyPrefix prefix of every Redis key, {@code jobqueue} by default
 * @param leaseDuration how long a dequeued job stays leased without a heartbeat (30 s); a worker
 * extends it every third of that while the job runs
 * @param completed how long completed, cancelled and skipped jobs are kept
 * @param dead how long dead-lettered jobs are kept
 * @param maxStalls how many times a job's lease may expire unfinished (or the job bring its worker down)
 * before it is dead-lettered as a poison pill (3)
 * @param codec how payloads are read and written
 * @param strictRedisCheck refuse to start, instead of warning, when Redis's settings put jobs at risk or
 * cannot be checked
 * @param idempotencyWindow how long a caller-chosen job id stays taken, whatever the retention keeps (1 day)
 * @param maxPayloadSize largest payload accepted at enqueue, in bytes (1 MiB)
 * @param durability how many replicas an enqueue waits for ({@link Durability#NONE} by default)
 * @param events which lifecycle events the queue writes and how long they are kept ({@link EventOptions#DEFAULT})
 */
public record QueueOptions(String keyPrefix, Duration leaseDuration, Retention completed, Retention dead,
		int maxStalls, PayloadCodec codec, boolean strictRedisCheck, Duration idempotencyWindow, long maxPayloadSize,
		Durability durability, EventOptions events) {

	public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofDays(1);

	public static final long DEFAULT_MAX_PAYLOAD_SIZE = 1024 * 1024;

	public QueueOptions {
		Objects.requireNonNull(keyPrefix, "keyPrefix");
		Objects.requireNonNull(completed, "completed");
		Objects.requireNonNull(dead, "dead");
		Objects.requireNonNull(codec, "codec");
		Objects.requireNonNull(durability, "durability");
		Objects.requireNonNull(events, "events");
		if (leaseDuration == null || leaseDuration.toMillis() < 100) {
			throw new IllegalArgumentException("A lease must last at least 100 ms");
		}
		if (maxStalls < 0) {
			throw new IllegalArgumentException("maxStalls must be zero or positive");
		}
		if (idempotencyWindow == null || idempotencyWindow.toMillis() < 1) {
			throw new IllegalArgumentException("The idempotency window must be at least 1 ms");
		}
		if (maxPayloadSize < 1) {
			throw new IllegalArgumentException("maxPayloadSize must be at least 1 byte");
		}
	}

	public static QueueOptions defaults() {
		return new QueueOptions("jobqueue", Duration.ofSeconds(30), Retention.COMPLETED_DEFAULT, Retention.DEAD_DEFAULT,
				3, PayloadCodec.defaults(), false, DEFAULT_IDEMPOTENCY_WINDOW, DEFAULT_MAX_PAYLOAD_SIZE, Durability.NONE,
				EventOptions.DEFAULT);
	}

	public QueueOptions withKeyPrefix(String keyPrefix) {
		return new QueueOptions(keyPrefix, this.leaseDuration, this.completed, this.dead, this.maxStalls, this.codec,
				this.strictRedisCheck, this.idempotencyWindow, this.maxPayloadSize, this.durability, this.events);
	}

	public QueueOptions withLeaseDuration(Duration leaseDuration) {
		return new QueueOptions(this.keyPrefix, leaseDuration, this.completed, this.dead, this.maxStalls, this.codec,
				this.strictRedisCheck, this.idempotencyWindow, this.maxPayloadSize, this.durability, this.events);
	}

	public QueueOptions withCompletedRetention(Retention completed) {
		return new QueueOptions(this.keyPrefix, this.leaseDuration, completed, this.dead, this.maxStalls, this.codec,
				this.strictRedisCheck, this.idempotencyWindow, this.maxPayloadSize, this.durability, this.events);
	}

	public QueueOptions withDeadRetention(Retention dead) {
		return new QueueOptions(this.keyPrefix, this.leaseDuration, this.completed, dead, this.maxStalls, this.codec,
				this.strictRedisCheck, this.idempotencyWindow, this.maxPayloadSize, this.durability, this.events);
	}

	public QueueOptions withMaxStalls(int maxStalls) {
		return new QueueOptions(this.keyPrefix, this.leaseDuration, this.completed, this.dead, maxStalls, this.codec,
				this.strictRedisCheck, this.idempotencyWindow, this.maxPayloadSize, this.durability, this.events);
	}

	public QueueOptions withCodec(PayloadCodec codec) {
		return new QueueOptions(this.keyPrefix, this.leaseDuration, this.completed, this.dead, this.maxStalls, codec,
				this.strictRedisCheck, this.idempotencyWindow, this.maxPayloadSize, this.durability, this.events);
	}

	public QueueOptions withStrictRedisCheck(boolean strictRedisCheck) {
		return new QueueOptions(this.keyPrefix, this.leaseDuration, this.completed, this.dead, this.maxStalls, this.codec,
				strictRedisCheck, this.idempotencyWindow, this.maxPayloadSize, this.durability, this.events);
	}

	public QueueOptions withIdempotencyWindow(Duration idempotencyWindow) {
		return new QueueOptions(this.keyPrefix, this.leaseDuration, this.completed, this.dead, this.maxStalls, this.codec,
				this.strictRedisCheck, idempotencyWindow, this.maxPayloadSize, this.durability, this.events);
	}

	public QueueOptions withMaxPayloadSize(long maxPayloadSize) {
		return new QueueOptions(this.keyPrefix, this.leaseDuration, this.completed, this.dead, this.maxStalls, this.codec,
				this.strictRedisCheck, this.idempotencyWindow, maxPayloadSize, this.durability, this.events);
	}

	/** Every enqueue of the queue waits for replicas this way (see {@link Durability}). */
	public QueueOptions withDurability(Durability durability) {
		return new QueueOptions(this.keyPrefix, this.leaseDuration, this.completed, this.dead, this.maxStalls, this.codec,
				this.strictRedisCheck, this.idempotencyWindow, this.maxPayloadSize, durability, this.events);
	}

	/** Which lifecycle events the queue writes, and how many and how long it keeps (see {@link EventOptions}). */
	public QueueOptions withEvents(EventOptions events) {
		return new QueueOptions(this.keyPrefix, this.leaseDuration, this.completed, this.dead, this.maxStalls, this.codec,
				this.strictRedisCheck, this.idempotencyWindow, this.maxPayloadSize, this.durability, events);
	}

}
