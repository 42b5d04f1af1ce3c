package dev.jobqueue.spring.dispatch;

import java.util.function.Function;

import dev.jobqueue.core.job.Job;

/**
 * Runs around each job the dispatcher stores, in the dispatching thread: may add metadata to the job (context
 * to carry to its attempts) and time the dispatch. Must call {@code store} once, with the job to store.
 */
public interface DispatchInterceptor {

	/** Stores the job as it is. */
	DispatchInterceptor NONE = new DispatchInterceptor() {

		@Override
		public <T> T dispatch(Job job, Function<Job, T> store) {
			return store.apply(job);
		}

	};

	<T> T dispatch(Job job, Function<Job, T> store);

	/** This interceptor around {@code inner}. */
	default DispatchInterceptor around(DispatchInterceptor inner) {
		DispatchInterceptor outer = this;
		return new DispatchInterceptor() {

			@Override
			public <T> T dispatch(Job job, Function<Job, T> store) {
				return outer.dispatch(job, (changed) -> inner.dispatch(changed, store));
			}

		};
	}

}
