package dev.jobqueue.spring.test;

import java.time.Duration;
import java.time.Instant;

import dev.jobqueue.spring.dispatch.DispatchOptions;

/**
 * One dispatch the {@link RecordingJobDispatcher} saw: the job's type, its payload as JSON (as it would
 * be stored), the queue it was routed to, and the options given. Immutable.
 *
 * @param id the job id (the option's, else a generated one)
 * @param type the job type
 * @param queue the queue the job was routed to
 * @param payloadJson the payload written by the application's payload codec
 * @param options the dispatch options as given
 */
public record DispatchedJob(String id, String type, String queue, String payloadJson, DispatchOptions options) {

	/** The delay asked for, or {@code null}. */
	public Duration delay() {
		return this.options.delay();
	}

	/** The time asked for, or {@code null}. */
	public Instant runAt() {
		return this.options.runAt();
	}

	@Override
	public String toString() {
		return this.type + " on '" + this.queue + "' " + this.payloadJson
				+ ((delay() != null) ? " after " + delay() : "") + ((runAt() != null) ? " at " + runAt() : "");
	}

}
