package dev.jobqueue.spring.event;

import org.springframework.context.ApplicationEvent;

import dev.jobqueue.core.event.JobEvent;

/**
 * A queue's event, published to this application's listeners when {@code jobqueue.events.application-events} is
 * on: every JVM that enables it receives every event (a broadcast subscription). Kinds with a class of their own
 * ({@link JobCompletedEvent}, ...) are published as that class; listen to this one for all of them.
 */
public class JobLifecycleEvent extends ApplicationEvent {

	private final JobEvent event;

	public JobLifecycleEvent(Object source, JobEvent event) {
		super(source);
		this.event = event;
	}

	/** The event as the queue's stream holds it. */
	public JobEvent event() {
		return this.event;
	}

	public String jobId() {
		return this.event.jobId();
	}

	public String jobType() {
		return this.event.jobType();
	}

	public String queue() {
		return this.event.queue();
	}

	/** Publishes {@code event} as the class its kind has, or as this one. */
	static JobLifecycleEvent of(Object source, JobEvent event) {
		return switch (event.kind()) {
			case JobEvent.CREATED -> new JobCreatedEvent(source, event);
			case JobEvent.STARTED -> new JobStartedEvent(source, event);
			case JobEvent.COMPLETED -> new JobCompletedEvent(source, event);
			case JobEvent.FAILED -> new JobFailedEvent(source, event);
			case JobEvent.RETRIED -> new JobRetriedEvent(source, event);
			case JobEvent.DEAD -> new JobDeadLetteredEvent(source, event);
			case JobEvent.CANCELLED -> new JobCancelledEvent(source, event);
			case JobEvent.STALLED -> new JobStalledEvent(source, event);
			default -> new JobLifecycleEvent(source, event);
		};
	}

}
