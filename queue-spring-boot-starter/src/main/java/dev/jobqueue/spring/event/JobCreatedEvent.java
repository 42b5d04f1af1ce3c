package dev.jobqueue.spring.event;

import dev.jobqueue.core.event.JobEvent;

/** A job was stored. */
public class JobCreatedEvent extends JobLifecycleEvent {

	public JobCreatedEvent(Object source, JobEvent event) {
		super(source, event);
	}

}
