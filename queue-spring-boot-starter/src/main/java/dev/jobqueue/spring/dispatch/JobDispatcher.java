package dev.jobqueue.spring.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Puts jobs on their queues. A job goes to the queue its options name, else its handler's queue,
 * else {@code jobqueue.default-queue}; its payload is written as JSON. A dispatch returns once the
 * job is stored in Redis, or throws: it is never silently dropped. Thread-safe.
 */
public interface JobDispatcher {

	/** Dispatches a job. */
	default JobRef dispatch(String type, Object payload) {
		return dispatch(type, payload, DispatchOptions.none());
	}

	/**
	 * Dispatches a job. With an {@code id} option that is taken, nothing is created: the reference says so,
	 * and in which state the job holding the id is.
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
	 * Runs the type's handler now, in the caller's thread, through the same pipeline a worker uses
	 * (payload written as JSON and bound back to the handler's declared type), and returns its
	 * result. Nothing is stored in Redis; what the handler throws reaches the caller.
	 */
	Object dispatchSync(String type, Object payload);

}
