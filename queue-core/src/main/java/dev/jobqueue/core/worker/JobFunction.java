package dev.jobqueue.core.worker;

import dev.jobqueue.core.job.JobContext;

/**
 * Handles jobs of one type and returns a result, stored as JSON with the completed job. Failure
 * and threading are as for {@link JobProcessor}.
 *
 * @param <T> the payload type the JSON payload is bound to
 * @param <R> the result type
 */
@FunctionalInterface
public interface JobFunction<T, R> {

	R apply(T payload, JobContext context) throws Exception;

}
