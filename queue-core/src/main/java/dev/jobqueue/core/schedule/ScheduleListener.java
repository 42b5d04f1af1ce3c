package dev.jobqueue.core.schedule;

import java.time.Instant;

/** Told about every fire this node enqueued (for metrics); called on the scheduler's thread, must not block. */
@FunctionalInterface
public interface ScheduleListener {

	ScheduleListener NONE = (schedule, fireTime, jobId, missed) -> {
	};

	/**
	 * @param schedule the schedule's name
	 * @param fireTime the fire time the job stands for
	 * @param jobId the job's id
	 * @param missed {@code true} for the one job that stands for fire times missed while no node ran
	 */
	void fired(String schedule, Instant fireTime, String jobId, boolean missed);

}
