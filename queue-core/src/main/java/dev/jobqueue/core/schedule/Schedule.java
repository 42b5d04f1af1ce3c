package dev.jobqueue.core.schedule;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.redis.RedisKeys;

/**
 * A recurring job: at each fire time, one job of {@code jobType} with {@code payload} on {@code queue}.
 *
 * @param name unique name; it keys the schedule's state in Redis
 * @param times when it fires
 * @param jobType the job type to enqueue
 * @param payload the job's payload as JSON ({@code {}} when none)
 * @param queue the queue to enqueue on
 * @param misfire what to do with fire times missed while no node ran
 */
public record Schedule(String name, FireTimes times, String jobType, String payload, String queue,
		MisfirePolicy misfire) {

	public Schedule {
		RedisKeys.check(name, "schedule name");
		if (times == null) {
			throw new IllegalArgumentException("Schedule " + name + " needs a cron expression or an interval");
		}
		if (jobType == null || jobType.isBlank()) {
			throw new IllegalArgumentException("Schedule " + name + " needs a job type");
		}
		payload = (payload == null || payload.isBlank()) ? "{}" : payload;
		try {
			PayloadCodec.defaults().readTree(payload);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Schedule " + name + " has a payload that is not JSON: " + payload, ex);
		}
		RedisKeys.check(queue, "queue name of schedule " + name);
		misfire = (misfire != null) ? misfire : MisfirePolicy.FIRE_ONCE;
	}

	/** The id of the job for fire time {@code fireEpochMs}; the same on every node. */
	public String jobId(long fireEpochMs) {
		return "schedule:" + this.name + ":" + fireEpochMs;
	}

}
