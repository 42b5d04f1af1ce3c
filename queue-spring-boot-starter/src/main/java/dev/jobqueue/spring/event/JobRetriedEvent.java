package dev.jobqueue.spring.event;

import dev.jobqueue.core.event.JobEvent;

/** A failed job waits for its back-off. */
public class JobRetriedEvent extends JobLifecycleEvent {

	public JobRetriedEvent(Object source, JobEvent event) {
		super(source, event);
	}

}
