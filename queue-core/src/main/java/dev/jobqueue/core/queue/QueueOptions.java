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
 * @param completed how long completed and cancelled jobs are kept
 * @param dead how long dead-lettered jobs are kept
 * @param maxStalls how many expired leases a job survives before it is dead-lettered as a poison pill
 * @param codec how payloads are read and written
 * @param strictRedisCheck fail instead of warn when Redis's eviction policy or persistence put jobs at risk
 */
public record QueueOptions(String keyPrefix, Duration leaseDuration, Retention completed, Retention dead,
		int maxStalls, PayloadCodec codec, boolean strictRedisCheck) {

	public QueueOptions {
		Objects.requireNonNull(keyPrefix, "keyPrefix");
		Objects.requireNonNull(completed, "completed");
		Objects.requireNonNull(dead, "dead");
		Objects.requireNonNull(codec, "codec");
		if (leaseDuration == null || leaseDuration.toMillis() < 100) {
			throw new IllegalArgumentException("A lease must last at least 100 ms");
		}
		if (maxStalls < 0) {
			throw new IllegalArgumentException("maxStalls must be zero or positive");
		}
	}

	public static QueueOptions defaults() {
		return new QueueOptions("jobqueue", Duration.ofSeconds(30), Retention.COMPLETED_DEFAULT, Retention.DEAD_DEFAULT,
				3, PayloadCodec.defaults(), false);
	}

	public QueueOptions withKeyPrefix(String keyPrefix) {
		return new QueueOptions(keyPrefix, this.leaseDuration, this.completed, this.dead, this.maxStalls, this.codec,
				this.strictRedisCheck);
	}

	public QueueOptions withLeaseDuration(Duration leaseDuration) {
		return new QueueOptions(this.keyPrefix, leaseDuration, this.completed, this.dead, this.maxStalls, this.codec,
				this.strictRedisCheck);
	}

	public QueueOptions withCompletedRetention(Retention completed) {
		return new QueueOptions(this.keyPrefix, this.leaseDuration, completed, this.dead, this.maxStalls, this.codec,
				this.strictRedisCheck);
	}

	public QueueOptions withDeadRetention(Retention dead) {
		return new QueueOptions(this.keyPrefix, this.leaseDuration, this.completed, dead, this.maxStalls, this.codec,
				this.strictRedisCheck);
	}

	public QueueOptions withMaxStalls(int maxStalls) {
		return new QueueOptions(this.keyPrefix, this.leaseDuration, this.completed, this.dead, maxStalls, this.codec,
				this.strictRedisCheck);
	}

	public QueueOptions withCodec(PayloadCodec codec) {
		return new QueueOptions(this.keyPrefix, this.leaseDuration, this.completed, this.dead, this.maxStalls, codec,
				this.strictRedisCheck);
	}

	public QueueOptions withStrictRedisCheck(boolean strictRedisCheck) {
		return new QueueOptions(this.keyPrefix, this.leaseDuration, this.completed, this.dead, this.maxStalls, this.codec,
				strictRedisCheck);
	}

}
