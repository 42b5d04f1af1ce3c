package dev.jobqueue.core.job;

import java.time.Instant;

/**
 * A job as the queue knows it now.
 *
 * @param job the job; {@code null} when its stored data is corrupt
 * @param state where the job is
 * @param stateAt when the state ends or ended: due time (scheduled, retrying), lease deadline
 * (active), finish time (completed, dead, cancelled); {@code null} while pending
 * @param attempts how many times it was started
 * @param failures how many attempts failed
 * @param stalls how many leases expired before the job finished
 * @param lastError the last failure, or {@code null}
 * @param result the result JSON of a completed job, or {@code null}
 * @param progress the last progress its handler reported, or {@code null}
 * @param cancelRequested whether a cancel was requested while it runs
 * @param progressMessage the message its handler reported with its progress, or {@code null}
 */
public record JobInfo(String id, Job job, JobState state, Instant stateAt, int attempts, int failures, int stalls,
		JobError lastError, String result, Integer progress, boolean cancelRequested, String progressMessage) {

	public JobInfo(String id, Job job, JobState state, Instant stateAt, int attempts, int failures, int stalls,
			JobError lastError, String result, Integer progress, boolean cancelRequested) {
		this(id, job, state, stateAt, attempts, failures, stalls, lastError, result, progress, cancelRequested, null);
	}

}
