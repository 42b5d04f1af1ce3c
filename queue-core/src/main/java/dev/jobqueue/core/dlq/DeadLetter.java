package dev.jobqueue.core.dlq;

import java.time.Instant;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;

/**
 * A job that failed for good, with why and when.
 *
 * @param id the job's id
 * @param job the job, or {@code null} when its stored data is corrupt
 * @param error the last error: message, exception type, stack trace and the worker that saw it
 * @param failedAt when it was dead-lettered, by Redis's clock
 * @param attempts how many times it was started
 */
public record DeadLetter(String id, Job job, JobError error, Instant failedAt, int attempts) {

	public String message() {
		return (this.error != null) ? this.error.message() : null;
	}

	public String stackTrace() {
		return (this.error != null) ? this.error.stackTrace() : null;
	}

	public String workerId() {
		return (this.error != null) ? this.error.workerId() : null;
	}

}
