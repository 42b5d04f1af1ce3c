package dev.jobqueue.core.schedule;

import java.time.Instant;
import java.util.List;

/**
 * A schedule as operators see it.
 *
 * @param name the schedule's name
 * @param description when it fires, e.g. "cron '0 0 * * *' in UTC"
 * @param jobType the job type it enqueues
 * @param queue the queue it enqueues on
 * @param paused whether it is paused (for every node)
 * @param lastFire the last fire time claimed by any node, or {@code null}
 * @param nextFires the next five fire times
 */
public record ScheduleStatus(String name, String description, String jobType, String queue, boolean paused,
		Instant lastFire, List<Instant> nextFires) {
}
