package dev.jobqueue.spring.handler;

import org.springframework.core.MethodParameter;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;

/**
 * Supplies one argument of a {@code @JobHandler} method from the job being run. Resolvers are asked
 * in order; the payload resolver comes last because it takes any parameter.
 */
public interface JobArgumentResolver {

	boolean supportsParameter(MethodParameter parameter);

	/** Whether this resolver consumes the payload: a method may have one such parameter only. */
	default boolean resolvesPayload() {
		return false;
	}

	Object resolveArgument(MethodParameter parameter, Job job, JobContext context);

}
