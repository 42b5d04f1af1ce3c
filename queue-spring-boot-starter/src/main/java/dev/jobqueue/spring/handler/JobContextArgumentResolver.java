package dev.jobqueue.spring.handler;

import org.springframework.core.MethodParameter;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;

/** Supplies the {@link JobContext} of the running job. */
public class JobContextArgumentResolver implements JobArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return JobContext.class.equals(parameter.getParameterType());
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, Job job, JobContext context) {
		return context;
	}

}
