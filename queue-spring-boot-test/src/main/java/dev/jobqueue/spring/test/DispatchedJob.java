package dev.jobqueue.spring.test;

import java.time.Duration;
import java.time.Instant;

import dev.jobqueue.spring.dispatch.DispatchOptions;

/**
 * One dispatch the {@link RecordingJobDispatcher} saw: the job's type, its payload as JSON (as it would
 * be stored), the queue it was routed to, and the options given; for a job of a chain or a batch, that flow's
 * id. Immutable.
 *
 * @param id the job id (the option's, else a generated one; in a flow, the id the flow gives it, e.g.
 * {@code <batch id>:2} or {@code <batch id>:on_success})
 * @param type the job type
 * @param queue the queue the job was routed to
 * @param payloadJson the payload written by the application's payload codec
 * @param options the dispatch options as given (in a flow, those the job carries: queue, delay...)
 * @param flow the id of the chain or batch dispatched with this job in it (the outermost one), or {@code null}
 */
public record DispatchedJob(String id, String type, String queue, String payloadJson, DispatchOptions options,
		String flow) {

	/** A job dispatched on its own. */
	public DispatchedJob(String id, String type, String queue, String payloadJson, DispatchOptions options) {
		this(id, type, queue, payloadJson, options, null);
	}

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
				+ ((delay() != null) ? " after " + delay() : "") + ((runAt() != null) ? " at " + runAt() : "")
				+ ((this.flow != null) ? " in flow " + this.flow : "");
	}

}
