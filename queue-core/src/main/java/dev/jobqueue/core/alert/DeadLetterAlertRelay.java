package dev.jobqueue.core.alert;

import dev.jobqueue.core.event.EventStore;
import dev.jobqueue.core.event.EventSubscription;
import dev.jobqueue.core.event.JobEvent;

/**
 * Hands every dead-letter event of the queues to an {@link AlertDispatcher}, from the consumer group
 * {@value #GROUP}: each event reaches one node of the group, on the subscription's thread, never a worker's.
 * An event is acknowledged only once the dispatcher delivered it; when it throws, or this node dies, the event
 * is delivered again (here or on another node), so an alert is not lost.
 */
public final class DeadLetterAlertRelay implements AutoCloseable {

	/** The consumer group every node relaying alerts joins. */
	public static final String GROUP = "jobqueue-alerts";

	private final EventStore events;

	private final AlertDispatcher dispatcher;

	private final String consumer;

	private EventSubscription subscription;

	/** {@code consumer} names this node in the group (host and process, say); it must differ between nodes. */
	public DeadLetterAlertRelay(EventStore events, AlertDispatcher dispatcher, String consumer) {
		this.events = events;
		this.dispatcher = dispatcher;
		this.consumer = consumer;
	}

	public synchronized DeadLetterAlertRelay start() {
		if (this.subscription == null) {
			this.subscription = this.events.subscribeGroup(GROUP, this.consumer, this::relay);
		}
		return this;
	}

	private void relay(JobEvent event) {
		if (JobEvent.DEAD.equals(event.kind())) {
			// The event's own time: the same on every delivery, so a redelivered alert keeps its identity.
			this.dispatcher.deadLettered(new DeadLetterAlert(event.jobId(), event.jobType(), event.queue(),
					event.errorMessage(), (event.attempt() != null) ? event.attempt() : 0, event.timestamp()));
		}
	}

	@Override
	public synchronized void close() {
		if (this.subscription != null) {
			this.subscription.close();
			this.subscription = null;
		}
	}

}
