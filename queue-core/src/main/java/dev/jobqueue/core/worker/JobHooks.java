package dev.jobqueue.core.worker;

/**
 * Callbacks on a job type's life, run by the worker on its own hook thread, one at a time, after the outcome
 * was written. A hook that throws is logged; it never changes the job's outcome.
 */
public final class JobHooks {

	private JobHooks() {
	}

	/** After a job's last attempt failed and it was dead-lettered. */
	@FunctionalInterface
	public interface Failed {

		/**
		 * @param error what the last attempt threw (or why it was given up)
		 * @param payload the payload bound to the handler's type (the {@code Job} for handlers of whole jobs), or
		 * its JSON when it cannot be bound
		 */
		void failed(Throwable error, Object payload) throws Exception;

	}

	/** After an attempt ran past its timeout and was interrupted (it may be retried). */
	@FunctionalInterface
	public interface TimedOut {

		void timedOut(Object payload) throws Exception;

	}

}
