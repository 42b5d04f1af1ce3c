package dev.jobqueue.core.middleware;

import java.util.Objects;
import java.util.function.Predicate;

import dev.jobqueue.core.job.Job;

/**
 * Ends a job as skipped, without running its handler, when a predicate over the job holds (e.g. a feature is
 * off). A skipped job does not run again; {@code get(id)} shows it {@code skipped} with the reason as result.
 */
public final class SkipIf implements JobMiddleware {

	private final Predicate<Job> condition;

	private final String reason;

	public SkipIf(Predicate<Job> condition, String reason) {
		this.condition = Objects.requireNonNull(condition, "condition");
		this.reason = Objects.requireNonNull(reason, "reason");
	}

	@Override
	public Object invoke(Invocation invocation) throws Exception {
		return this.condition.test(invocation.job()) ? Decision.skip(this.reason) : invocation.proceed();
	}

}
