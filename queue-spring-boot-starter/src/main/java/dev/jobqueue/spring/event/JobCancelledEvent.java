package dev.jobqueue.spring.event;

import dev.jobqueue.core.event.JobEvent;

/** A job was cancelled. */
public class JobCancelledEvent extends JobLifecycleEvent {

	public JobCancelledEvent(Object source, JobEvent event) {
		super(source, event);
	}

}
