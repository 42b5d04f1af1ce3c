package dev.jobqueue.core.worker;

import java.time.Duration;

import dev.jobqueue.core.job.StopReason;
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

	/** The worker gave the job back without a failure (shutdown, or a job type it does not know yet). */
	default void onHandedBack(LeasedJob job, StopReason reason) {
	}

	/** The job was cancelled while it ran, and its handler was stopped. */
	default void onCancelled(LeasedJob job) {
	}

	/** The worker stopped the attempt because its lease was lost or ran out; nothing was written for it. */
	default void onLeaseLost(LeasedJob job) {
	}

	/** The dead-letter queue's retention removed {@code count} dead letters of {@code queue}. */
	default void onDeadLettersTrimmed(String queue, long count) {
	}

}
