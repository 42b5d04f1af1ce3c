package dev.jobqueue.spring.observation;

import java.util.List;
import java.util.function.Function;

import org.slf4j.MDC;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.spring.dispatch.DispatchInterceptor;

/**
 * Carries the dispatching thread's MDC entries named by {@code jobqueue.mdc.propagate} in the job's metadata
 * (as {@code mdc.<key>}), for {@link MdcJobExecutionInterceptor} to restore while the job runs. Keys without
 * a value are left out.
 */
public class MdcDispatchInterceptor implements DispatchInterceptor {

	static final String PREFIX = "mdc.";

	private final List<String> keys;

	public MdcDispatchInterceptor(List<String> keys) {
		this.keys = List.copyOf(keys);
	}

	@Override
	public <T> T dispatch(Job job, Function<Job, T> store) {
		Job carried = job;
		for (String key : this.keys) {
			String value = MDC.get(key);
			if (value != null && !job.metadata().containsKey(PREFIX + key)) {
				carried = carried.withMetadata(PREFIX + key, value);
			}
		}
		return store.apply(carried);
	}

}
