package dev.jobqueue.spring.event;

import dev.jobqueue.core.event.JobEvent;

/** An attempt of a job started on a worker. */
public class JobStartedEvent extends JobLifecycleEvent {

	public JobStartedEvent(Object source, JobEvent event) {
		super(source, event);
	}

}
