package dev.jobqueue.core.middleware;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.queue.Effect;
import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.LeasedJob;

/** One attempt as a {@link JobMiddleware} sees it. Used on the handler's thread. */
public interface Invocation {

	Job job();

	JobContext context();

	/** The lease the attempt runs under (its id and fencing token). */
	LeasedJob lease();

	/** The store the job was leased from: for keys of its slot and scripts over them. */
	JobStore store();

	/** Runs the next middleware, or the handler; returns its result. Call it at most once. */
	Object proceed() throws Exception;

	/**
	 * Applies {@code effect} in the script that settles this attempt, whatever its outcome, and only if its
	 * lease is still held then. The key must be of the store's slot ({@code store().keys().custom(...)}).
	 */
	void onSettle(Effect effect);

}
