package dev.jobqueue.spring.event;

import dev.jobqueue.core.event.JobEvent;

/** A job's lease expired unfinished, or it brought its worker down; it runs again as a suspect. */
public class JobStalledEvent extends JobLifecycleEvent {

	public JobStalledEvent(Object source, JobEvent event) {
		super(source, event);
	}

}
