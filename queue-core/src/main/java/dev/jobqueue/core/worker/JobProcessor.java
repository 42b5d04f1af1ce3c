package dev.jobqueue.core.worker;

import dev.jobqueue.core.job.JobContext;

/**
 * Handles jobs of one type. Throwing fails the attempt: it is retried with back-off, or
 * dead-lettered when retries are spent or the error is a {@link NonRetryableJobException}.
 * Called on a worker thread, possibly on several at once.
 *
 * @param <T> the payload type the JSON payload is bound to
 */
@FunctionalInterface
public interface JobProcessor<T> {

	void process(T payload, JobContext context) throws Exception;

}
