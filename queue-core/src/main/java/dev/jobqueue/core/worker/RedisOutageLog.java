package dev.jobqueue.core.worker;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a worker's trouble with Redis at a volume a person can read: one line when it starts, one a minute
 * while it lasts, one when it ends, whichever of the worker's parts (fetching, heartbeat, reaper,
 * settling...) meets it. Thread-safe.
 */
final class RedisOutageLog {

	// Logged under Worker: that is the class users know and configure.
	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	static final Duration REPEAT = Duration.ofMinutes(1);

	private final String workerId;

	private long startedNanos;

	private long lastLoggedNanos;

	private long failures;

	private boolean down;

	RedisOutageLog(String workerId) {
		this.workerId = workerId;
	}

	synchronized void failed(String what, Throwable error) {
		long now = System.nanoTime();
		this.failures++;
		if (!this.down) {
			this.down = true;
			this.startedNanos = now;
			this.lastLoggedNanos = now;
			this.failures = 1;
			logger.warn("Worker {} cannot use Redis ({}): {}; retrying", this.workerId, what, describe(error));
		}
		else if (now - this.lastLoggedNanos >= REPEAT.toNanos()) {
			this.lastLoggedNanos = now;
			logger.warn("Worker {} still cannot use Redis after {} ({} failed calls, latest in {}): {}", this.workerId,
					Durations.format(Duration.ofNanos(now - this.startedNanos)), this.failures, what, describe(error));
		}
	}

	synchronized void succeeded() {
		if (this.down) {
			this.down = false;
			logger.info("Worker {} uses Redis again after {} ({} failed calls)", this.workerId,
					Durations.format(Duration.ofNanos(System.nanoTime() - this.startedNanos)), this.failures);
		}
	}

	synchronized boolean isDown() {
		return this.down;
	}

	private static String describe(Throwable error) {
		String message = error.getMessage();
		return error.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

}
