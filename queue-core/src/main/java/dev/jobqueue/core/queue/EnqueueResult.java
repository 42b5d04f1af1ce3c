package dev.jobqueue.core.queue;

/**
 * What enqueueing a job did.
 *
 * @param id the job's id
 * @param created {@code false} when a job with this id already existed: nothing was changed
 */
public record EnqueueResult(String id, boolean created) {
}
