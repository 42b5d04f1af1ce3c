package dev.jobqueue.core.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * A job reached the dead-letter queue. Immutable.
 *
 * @param jobId the job's id
 * @param jobType its type
 * @param queue the queue it was dead-lettered in
 * @param error the last attempt's error message
 * @param attempts attempts it made
 * @param at when it was dead-lettered (Redis's clock)
 */
public record DeadLetterAlert(String jobId, String jobType, String queue, String error, int attempts, Instant at) {

	public DeadLetterAlert {
		Objects.requireNonNull(jobId, "jobId");
		Objects.requireNonNull(jobType, "jobType");
		Objects.requireNonNull(queue, "queue");
		Objects.requireNonNull(at, "at");
		error = (error != null) ? error : "";
	}

	/** Names this dead-lettering: the same job dead-lettered again after a revival is another alert. */
	public String id() {
		return this.jobId + "@" + this.at.toEpochMilli();
	}

}
