package dev.jobqueue.spring.dispatch;

import java.time.Duration;

import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.worker.Durations;

/** {@link JobRef#awaitCompletion(Duration)} gave up: the job had not finished within the time given. */
public class JobWaitTimeoutException extends RuntimeException {

	private final transient JobState lastState;

	public JobWaitTimeoutException(String id, Duration waited, JobState lastState) {
		super("Job " + id + " did not finish within " + Durations.format(waited) + "; it is "
				+ ((lastState != null) ? lastState.id() : "not stored yet"));
		this.lastState = lastState;
	}

	/** The state the job was in when the wait ended, or {@code null} when it was not stored (yet). */
	public JobState lastState() {
		return this.lastState;
	}

}
