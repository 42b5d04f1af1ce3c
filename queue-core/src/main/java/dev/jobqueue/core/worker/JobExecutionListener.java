package dev.jobqueue.core.worker;

import java.time.Duration;

import dev.jobqueue.core.queue.LeasedJob;

/**
 * Hooks into a worker's job executions, e.g. for metrics. Every method defaults to doing nothing.
 * Called on worker threads; an exception thrown here is logged and does not affect the job. An
 * outcome is reported only after it was written to Redis.
 */
public interface JobExecutionListener {

	/** A leased job is about to run; {@code waited} is how long it waited since it was due or created. */
	default void onStarted(LeasedJob job, Duration waited) {
	}

	default void onCompleted(LeasedJob job, Duration took) {
	}

	/** The attempt failed and the job will run again after {@code retryDelay}. */
	default void onRetrying(LeasedJob job, Throwable error, Duration retryDelay, Duration took) {
	}

	/** The attempt failed and the job is now in the dead-letter queue. */
	default void onDeadLettered(LeasedJob job, Throwable error, Duration took) {
	}

	/** The worker lost the job's lease (it ran too long without a heartbeat); it stopped the handler. */
	default void onLeaseLost(LeasedJob job) {
	}

}
