package dev.jobqueue.spring.handler;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.core.MethodParameter;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.worker.HandlerOptions;

/**
 * A {@code @JobHandler} method, ready to be invoked with a job: which type it handles, the queue its
 * jobs go to by default, its own retry and timeout settings, and how each parameter is resolved.
 * Immutable; invoked from many threads at once.
 */
public final class MethodJobHandlerEndpoint {

	private final Object bean;

	private final Method method;

	private final String type;

	private final String queue;

	private final HandlerOptions options;

	private final MethodParameter[] parameters;

	private final JobArgumentResolver[] resolvers;

	private MethodJobHandlerEndpoint(Object bean, Method method, String type, String queue, HandlerOptions options,
			MethodParameter[] parameters, JobArgumentResolver[] resolvers) {
		this.bean = bean;
		this.method = method;
		this.type = type;
		this.queue = queue;
		this.options = options;
		this.parameters = parameters;
		this.resolvers = resolvers;
	}

	/**
	 * Resolves how every parameter of {@code method} is supplied, failing with a message that names
	 * the method when a parameter cannot be supplied or two would take the payload.
	 */
	public static MethodJobHandlerEndpoint create(Object bean, Method method, String type, String queue,
			HandlerOptions options, List<JobArgumentResolver> resolvers) {
		int count = method.getParameterCount();
		MethodParameter[] parameters = new MethodParameter[count];
		JobArgumentResolver[] chosen = new JobArgumentResolver[count];
		List<String> payloadParameters = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			parameters[i] = new MethodParameter(method, i);
			for (JobArgumentResolver resolver : resolvers) {
				if (resolver.supportsParameter(parameters[i])) {
					chosen[i] = resolver;
					break;
				}
			}
			if (chosen[i] == null) {
				throw new JobHandlerDefinitionException("@JobHandler method " + describe(method) + " has parameter "
						+ (i + 1) + " (" + parameters[i].getParameterType().getSimpleName() + ") that no argument "
						+ "resolver can supply.", "Declare one payload parameter (bound from the job's JSON), "
						+ "optionally with a JobContext or the Job itself.");
			}
			if (chosen[i].resolvesPayload()) {
				payloadParameters.add((i + 1) + " (" + parameters[i].getParameterType().getSimpleName() + ")");
			}
		}
		if (payloadParameters.size() > 1) {
			throw new JobHandlerDefinitionException("@JobHandler method " + describe(method) + " has "
					+ payloadParameters.size() + " parameters that would each take the payload: " + payloadParameters
					+ ".", "Declare one payload parameter, optionally with a JobContext (or the Job itself).");
		}
		ReflectionUtils.makeAccessible(method);
		return new MethodJobHandlerEndpoint(bean, method, type, queue, options, parameters, chosen);
	}

	public String type() {
		return this.type;
	}

	/** The queue jobs of this type are dispatched to by default. */
	public String queue() {
		return this.queue;
	}

	public HandlerOptions options() {
		return this.options;
	}

	public Method method() {
		return this.method;
	}

	/** Runs the method for {@code job}; what it throws propagates as the attempt's failure. */
	public Object invoke(Job job, JobContext context) throws Exception {
		Object[] args = new Object[this.parameters.length];
		for (int i = 0; i < args.length; i++) {
			args[i] = this.resolvers[i].resolveArgument(this.parameters[i], job, context);
		}
		try {
			return this.method.invoke(this.bean, args);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	/** {@code EmailJobs.send(EmailPayload, JobContext)}. */
	public String describe() {
		return describe(this.method);
	}

	static String describe(Method method) {
		return ClassUtils.getUserClass(method.getDeclaringClass()).getSimpleName() + "." + method.getName() + "("
				+ java.util.Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "))
				+ ")";
	}

	@Override
	public String toString() {
		return describe() + " for job type '" + this.type + "' on queue '" + this.queue + "'";
	}

}
