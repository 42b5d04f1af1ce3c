package dev.jobqueue.spring.handler;

import org.springframework.core.MethodParameter;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;

/**
 * Binds the JSON payload to the parameter's declared type, generics included. Never reads a type
 * from the data: what is built is what the method declares.
 */
public class PayloadArgumentResolver implements JobArgumentResolver {

	private final PayloadCodec codec;

	public PayloadArgumentResolver(PayloadCodec codec) {
		this.codec = codec;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return true;
	}

	@Override
	public boolean resolvesPayload() {
		return true;
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, Job job, JobContext context) {
		return this.codec.read(job.payload(), parameter.getGenericParameterType());
	}

}
