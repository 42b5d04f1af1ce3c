package dev.jobqueue.core.worker;

import java.util.List;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.middleware.Invocation;
import dev.jobqueue.core.middleware.JobMiddleware;
import dev.jobqueue.core.queue.Effect;
import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.LeasedJob;

/**
 * One attempt's handler with the middleware around it, each called through {@link #proceed()}; used on the
 * handler's thread only.
 */
final class MiddlewareChain implements Invocation {

	private final Attempt attempt;

	private final JobHandlers.Registered handler;

	private final List<JobMiddleware> middleware;

	private int next;

	MiddlewareChain(Attempt attempt, JobHandlers.Registered handler, List<JobMiddleware> middleware) {
		this.attempt = attempt;
		this.handler = handler;
		this.middleware = middleware;
	}

	@Override
	public Job job() {
		return this.attempt.lease.job();
	}

	@Override
	public JobContext context() {
		return this.attempt;
	}

	@Override
	public LeasedJob lease() {
		return this.attempt.lease;
	}

	@Override
	public JobStore store() {
		return this.attempt.store;
	}

	@Override
	public Object proceed() throws Exception {
		if (this.next < this.middleware.size()) {
			return this.middleware.get(this.next++).invoke(this);
		}
		if (this.next++ > this.middleware.size()) {
			throw new IllegalStateException("A middleware of " + this.attempt + " proceeded twice");
		}
		this.attempt.handlerInvoked = true;
		Object argument = this.handler.takesJob() ? job()
				: this.attempt.store.options().codec().read(job().payload(), this.handler.payloadType());
		return this.handler.function().apply(argument, this.attempt);
	}

	@Override
	public void onSettle(Effect effect) {
		this.attempt.effects.add(effect);
	}

}
