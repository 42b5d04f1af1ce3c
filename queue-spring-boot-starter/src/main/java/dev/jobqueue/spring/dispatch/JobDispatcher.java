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

	/** Dispatches a job and returns its id. */
	default String dispatch(String type, Object payload) {
		return dispatch(type, payload, DispatchOptions.none());
	}

	/** Dispatches a job and returns its id; with an existing {@code id} option, the existing job's id. */
	String dispatch(String type, Object payload, DispatchOptions options);

	/** Dispatches one job per payload, in one round trip per queue and batch; returns the ids in order. */
	default List<String> dispatchAll(String type, List<?> payloads) {
		return dispatchAll(type, payloads, DispatchOptions.none());
	}

	List<String> dispatchAll(String type, List<?> payloads, DispatchOptions options);

	/** Dispatches only when {@code condition} holds. */
	default Optional<String> dispatchIf(boolean condition, String type, Object payload) {
		return dispatchIf(condition, type, payload, DispatchOptions.none());
	}

	default Optional<String> dispatchIf(boolean condition, String type, Object payload, DispatchOptions options) {
		return condition ? Optional.of(dispatch(type, payload, options)) : Optional.empty();
	}

	/** Dispatches only when {@code condition} does not hold. */
	default Optional<String> dispatchUnless(boolean condition, String type, Object payload) {
		return dispatchIf(!condition, type, payload, DispatchOptions.none());
	}

	default Optional<String> dispatchUnless(boolean condition, String type, Object payload, DispatchOptions options) {
		return dispatchIf(!condition, type, payload, options);
	}

	/** Dispatches a job that may run once {@code delay} has passed (on Redis's clock). */
	default String dispatchAfter(Duration delay, String type, Object payload) {
		return dispatch(type, payload, DispatchOptions.none().delay(delay));
	}

	default String dispatchAfter(Duration delay, String type, Object payload, DispatchOptions options) {
		return dispatch(type, payload, options.delay(delay));
	}

	/** Dispatches a job that may run at {@code runAt}. */
	default String dispatchAfter(Instant runAt, String type, Object payload) {
		return dispatch(type, payload, DispatchOptions.none().runAt(runAt));
	}

	default String dispatchAfter(Instant runAt, String type, Object payload, DispatchOptions options) {
		return dispatch(type, payload, options.runAt(runAt));
	}

	/**
	 * Runs the type's handler now, in the caller's thread, through the same pipeline a worker uses
	 * (payload written as JSON and bound back to the handler's declared type), and returns its
	 * result. Nothing is stored in Redis; what the handler throws reaches the caller.
	 */
	Object dispatchSync(String type, Object payload);

}
