package dev.jobqueue.spring.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.jobqueue.core.flow.Batch;
import dev.jobqueue.core.flow.BatchStatus;
import dev.jobqueue.core.flow.Chain;
import dev.jobqueue.core.flow.ChainStatus;
import dev.jobqueue.core.queue.CancelResult;

/**
 * Puts jobs on their queues. A job goes to the queue its options name, else its type's route
 * ({@code jobqueue.routes.<type>}), else its handler's queue, else {@code jobqueue.default-queue}; its
 * payload is written as JSON. A dispatch returns once the job is stored in Redis, or throws (Redis errors
 * as {@link JobQueueException}): it is never silently dropped. Inside a Spring-managed transaction a
 * dispatch is stored after the commit and dropped at a rollback, unless told otherwise. Thread-safe.
 */
public interface JobDispatcher {

	/** Dispatches a job. */
	default JobRef dispatch(String type, Object payload) {
		return dispatch(type, payload, DispatchOptions.none());
	}

	/**
	 * Dispatches a job. With an {@code id} option that is taken, nothing is created: the reference says so,
	 * and in which state the job holding the id is. With a {@code unique} key held by a job that has not
	 * finished, nothing is created and the reference is that job's.
	 */
	JobRef dispatch(String type, Object payload, DispatchOptions options);

	/** Dispatches one job per payload, in one round trip per queue and batch; returns them in order. */
	default List<JobRef> dispatchAll(String type, List<?> payloads) {
		return dispatchAll(type, payloads, DispatchOptions.none());
	}

	List<JobRef> dispatchAll(String type, List<?> payloads, DispatchOptions options);

	/** Dispatches only when {@code condition} holds. */
	default Optional<JobRef> dispatchIf(boolean condition, String type, Object payload) {
		return dispatchIf(condition, type, payload, DispatchOptions.none());
	}

	default Optional<JobRef> dispatchIf(boolean condition, String type, Object payload, DispatchOptions options) {
		return condition ? Optional.of(dispatch(type, payload, options)) : Optional.empty();
	}

	/** Dispatches only when {@code condition} does not hold. */
	default Optional<JobRef> dispatchUnless(boolean condition, String type, Object payload) {
		return dispatchIf(!condition, type, payload, DispatchOptions.none());
	}

	default Optional<JobRef> dispatchUnless(boolean condition, String type, Object payload, DispatchOptions options) {
		return dispatchIf(!condition, type, payload, options);
	}

	/** Dispatches a job that may run once {@code delay} has passed (on Redis's clock). */
	default JobRef dispatchAfter(Duration delay, String type, Object payload) {
		return dispatch(type, payload, DispatchOptions.none().delay(delay));
	}

	default JobRef dispatchAfter(Duration delay, String type, Object payload, DispatchOptions options) {
		return dispatch(type, payload, options.delay(delay));
	}

	/** Dispatches a job that may run at {@code runAt}. */
	default JobRef dispatchAfter(Instant runAt, String type, Object payload) {
		return dispatch(type, payload, DispatchOptions.none().runAt(runAt));
	}

	default JobRef dispatchAfter(Instant runAt, String type, Object payload, DispatchOptions options) {
		return dispatch(type, payload, options.runAt(runAt));
	}

	/**
	 * A chain kept on the default queue, to fill with steps and dispatch: {@code chain().add(type, payload)...dispatch()}.
	 * Its dispatch goes the way of a single job's: each job goes to the queue a dispatch of its type would go to
	 * (unless {@code Job.withQueue} names one), an unknown type is refused at {@code dispatch()}, every job carries
	 * the dispatch's trace context, and inside a transaction the chain is stored after the commit (its status says
	 * {@code WAITING} until then) and dropped at a rollback. The same holds for batches and nested flows.
	 */
	Chain chain();

	/** A chain whose record (status, steps' results) is kept on {@code queue}; its jobs are routed as {@link #chain()}'s. */
	Chain chain(String queue);

	/** A batch kept on the default queue, to fill with members and callbacks and dispatch, as {@link #chain()}. */
	Batch batch();

	/** A batch whose record (status, counts) is kept on {@code queue}; its jobs are routed as {@link #chain()}'s. */
	Batch batch(String queue);

	Optional<ChainStatus> chainStatus(String queue, String id);

	Optional<BatchStatus> batchStatus(String queue, String id);

	/**
	 * Cancels a job, a chain or a batch: a waiting job at once, a running one at its worker's next heartbeat;
	 * a chain's pending step, after which it enqueues no more; a batch's pending members.
	 */
	CancelResult cancel(String queue, String id);

	/**
	 * The job with this id, on whichever configured queue holds it, without naming the queue; empty when no
	 * queue keeps it; an {@link IllegalStateException} naming the queues when several hold a job with this id.
	 */
	default Optional<JobRef> find(String id) {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot find jobs by id");
	}

	/**
	 * The queue a job of {@code type} goes to with these options: theirs, else its route, else its handler's, else
	 * the default queue; an {@link IllegalArgumentException} for a type that dispatch would refuse as unknown.
	 */
	default String queueFor(String type, DispatchOptions options) {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " does not route jobs itself");
	}

	/** Cancels the job a dispatch created. */
	default CancelResult cancel(JobRef job) {
		return cancel(job.queue(), job.id());
	}

	/** Workers lease nothing from {@code queue} until {@link #resume}; dispatches go on. */
	void pause(String queue);

	void resume(String queue);

	/**
	 * Runs the type's handler now, in the caller's thread, through the same pipeline a worker uses
	 * (payload written as JSON and bound back to the handler's declared type), and returns its
	 * result. Nothing is stored in Redis; what the handler throws reaches the caller.
	 */
	Object dispatchSync(String type, Object payload);

}
