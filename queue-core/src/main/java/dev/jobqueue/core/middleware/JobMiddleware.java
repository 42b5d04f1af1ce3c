package dev.jobqueue.core.middleware;

/**
 * Code around a job's handler, run on the handler's thread each attempt, in the order the middleware were
 * declared (the first declared is outermost). It calls {@link Invocation#proceed()} to run the rest of the
 * chain and returns its result (or its own), throws to fail the attempt as a handler would, or returns a
 * {@link Decision} instead of proceeding: hand the job back for later without a failed attempt, or skip it.
 */
@FunctionalInterface
public interface JobMiddleware {

	Object invoke(Invocation invocation) throws Exception;

}
