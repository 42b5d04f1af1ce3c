package dev.jobqueue.spring.event;

import dev.jobqueue.core.event.JobEvent;

/** A job was moved to the dead-letter queue. */
public class JobDeadLetteredEvent extends JobLifecycleEvent {

	public JobDeadLetteredEvent(Object source, JobEvent event) {
		super(source, event);
	}

}
