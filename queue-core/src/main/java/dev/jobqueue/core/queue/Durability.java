package dev.jobqueue.core.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * How far an enqueue waits for its jobs to be copied before it returns. Redis replicates asynchronously: a
 * master that acknowledged a write and failed before its replicas had it loses the write on failover. With
 * {@code replicas > 0} the enqueue sends {@code WAIT replicas timeout} on the connection that ran the
 * enqueue script (and, with {@code fsync}, {@code WAITAOF 0 replicas timeout} on servers that have it, 7.2+),
 * and throws {@link NotReplicatedException} when fewer replicas confirmed in time: the jobs are stored, not
 * yet replicated. Immutable.
 *
 * @param replicas how many replicas must confirm the write (0: do not wait)
 * @param timeout how long to wait for them
 * @param fsync also wait for the replicas to write it to their append-only file, where the server supports it
 */
public record Durability(int replicas, Duration timeout, boolean fsync) {

	/** Acknowledge as soon as the master has the jobs (the default). */
	public static final Durability NONE = new Durability(0, Duration.ZERO, false);

	public Durability {
		Objects.requireNonNull(timeout, "timeout");
		if (replicas < 0) {
			throw new IllegalArgumentException("replicas must be zero or positive");
		}
		if (replicas > 0 && timeout.toMillis() < 1) {
			throw new IllegalArgumentException("A durable enqueue needs a timeout of at least 1 ms");
		}
	}

	/** Wait for {@code replicas} replicas to have the jobs, up to {@code timeout}. */
	public static Durability replicas(int replicas, Duration timeout) {
		return new Durability(replicas, timeout, false);
	}

	/** The same, also waiting for the replicas' append-only file where the server has {@code WAITAOF}. */
	public Durability withFsync() {
		return new Durability(this.replicas, this.timeout, true);
	}

	public boolean isDurable() {
		return this.replicas > 0;
	}

}
