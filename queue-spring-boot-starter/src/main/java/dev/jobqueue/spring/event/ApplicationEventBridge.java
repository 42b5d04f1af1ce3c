package dev.jobqueue.spring.event;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

import dev.jobqueue.core.event.EventStore;
import dev.jobqueue.core.event.EventSubscription;

/**
 * Publishes every event of the queues to this application's listeners ({@code @EventListener} on
 * {@link JobCompletedEvent} and friends), from a broadcast subscription started with the context: each JVM gets
 * every event written while it runs, in order per queue, on the subscription's thread. A listener's exception is
 * logged and does not stop the subscription; but Spring's multicaster (without an error handler) stops at it, so
 * listeners after the throwing one miss that event: a listener that must not miss events catches its own.
 */
public class ApplicationEventBridge implements SmartLifecycle {

	private final EventStore events;

	private final ApplicationEventPublisher publisher;

	private volatile EventSubscription subscription;

	public ApplicationEventBridge(EventStore events, ApplicationEventPublisher publisher) {
		this.events = events;
		this.publisher = publisher;
	}

	@Override
	public void start() {
		this.subscription = this.events.subscribe((event) -> this.publisher.publishEvent(JobLifecycleEvent.of(this, event)));
	}

	@Override
	public void stop() {
		EventSubscription running = this.subscription;
		if (running != null) {
			running.close();
			this.subscription = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.subscription != null;
	}

}
