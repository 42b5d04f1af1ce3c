package dev.jobqueue.spring.event;

import dev.jobqueue.core.event.JobEvent;

/** A job completed. */
public class JobCompletedEvent extends JobLifecycleEvent {

	public JobCompletedEvent(Object source, JobEvent event) {
		super(source, event);
	}

}
