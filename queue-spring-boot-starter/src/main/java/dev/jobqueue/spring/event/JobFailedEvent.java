package dev.jobqueue.spring.event;

import dev.jobqueue.core.event.JobEvent;

/** An attempt failed (the error is in the event); a retry or a dead letter follows. */
public class JobFailedEvent extends JobLifecycleEvent {

	public JobFailedEvent(Object source, JobEvent event) {
		super(source, event);
	}

}
