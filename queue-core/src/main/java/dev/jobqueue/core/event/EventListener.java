package dev.jobqueue.core.event;

/**
 * Receives events from a subscription, on the subscription's own thread, one at a time and in stream order per
 * queue. In a consumer group an exception leaves the event pending: it is delivered again later, to this JVM or
 * another one of the group. In a broadcast subscription it is logged and the event is not delivered again.
 */
@FunctionalInterface
public interface EventListener {

	void onEvent(JobEvent event) throws Exception;

}
