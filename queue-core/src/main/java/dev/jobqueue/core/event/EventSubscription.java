package dev.jobqueue.core.event;

/**
 * A running subscription to event streams, with its own thread and its own Redis connection per read. It outlives
 * Redis outages and restarts: it reads on from the last event it delivered. Thread-safe.
 */
public interface EventSubscription extends AutoCloseable {

	/** Stops reading and waits for the event being delivered, if any. */
	@Override
	void close();

}
