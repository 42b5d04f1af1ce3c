package dev.jobqueue.core.queue;

import dev.jobqueue.core.job.JobState;

/**
 * What enqueueing a job did.
 *
 * @param id the job's id
 * @param created {@code false} when a job with this id already existed, or its idempotency key still lives:
 * nothing was changed
 * @param existing when not created: the state of the job that has this id, or {@code null} when it already
 * finished and is no longer kept (only its idempotency key remains)
 */
public record EnqueueResult(String id, boolean created, JobState existing) {

	public static EnqueueResult created(String id) {
		return new EnqueueResult(id, true, null);
	}

}
