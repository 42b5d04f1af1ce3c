package dev.jobqueue.spring.handler;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;

/**
 * Runs around each attempt of a {@code @JobHandler}, on the handler's thread: logging context, tracing,
 * execution logs. Must call {@code handler} once and return its result; what it throws is the attempt's
 * failure.
 */
@FunctionalInterface
public interface JobExecutionInterceptor {

	/** Runs the handler as it is. */
	JobExecutionInterceptor NONE = (job, context, handler) -> handler.run();

	Object invoke(Job job, JobContext context, Attempt handler) throws Exception;

	/** This interceptor around {@code inner}. */
	default JobExecutionInterceptor around(JobExecutionInterceptor inner) {
		return (job, context, handler) -> invoke(job, context, () -> inner.invoke(job, context, handler));
	}

	/** The attempt an interceptor wraps. */
	@FunctionalInterface
	interface Attempt {

		Object run() throws Exception;

	}

}
