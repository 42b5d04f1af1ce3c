package dev.jobqueue.spring.handler;

import org.springframework.core.MethodParameter;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;

/** Supplies the {@link Job} itself, with its raw JSON payload and metadata. */
public class JobParameterArgumentResolver implements JobArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return Job.class.equals(parameter.getParameterType());
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, Job job, JobContext context) {
		return job;
	}

}
