package dev.jobqueue.core.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobIds;

/**
 * Jobs run one after another: a step is enqueued only when the one before it completed, in the same Lua script
 * that settles it, so a crash between the two cannot lose or repeat a step. A step that dies after its retries
 * stops the chain, which records the step and why. Steps may be batches: the chain goes on when the batch
 * succeeds. A step reads the result of the one before it with {@code JobContext.previousResult}. Not
 * thread-safe: build it on one thread, then {@link #dispatch()}.
 */
public final class Chain {

	private final Flows flows;

	private String id = JobIds.next();

	final List<Object> steps = new ArrayList<>();

	Chain(Flows flows) {
		this.flows = flows;
	}

	/** A caller-chosen id (dispatching a chain whose id exists does nothing); generated otherwise. */
	public Chain id(String id) {
		this.id = Flows.checkFlowId(id);
		return this;
	}

	public String id() {
		return this.id;
	}

	/** Adds a step; its id is the chain's id, {@code ':'} and the step's number. */
	public Chain add(Job job) {
		if (job.delay() != null || job.runAt() != null) {
			throw new IllegalArgumentException("A chain's step starts when the step before it completed: job "
					+ job.id() + " cannot have a delay or a run-at time");
		}
		this.steps.add(Objects.requireNonNull(job, "job"));
		return this;
	}

	/** Adds a step of {@code type} whose payload is {@code payload} written as JSON. */
	public Chain add(String type, Object payload) {
		return add(Job.of(type, payload, this.flows.codec()));
	}

	/** Adds a batch as a step: the chain goes on once every member succeeded, and fails if the batch fails. */
	public Chain add(Batch batch) {
		this.steps.add(Objects.requireNonNull(batch, "batch"));
		return this;
	}

	/** The steps in order, each a {@link Job} or a {@link Batch}. */
	public List<Object> steps() {
		return Collections.unmodifiableList(this.steps);
	}

	/** Replaces each job of this chain, its batches' too, with what {@code mapper} makes of it (for a {@link FlowInterceptor}). */
	public Chain mapJobs(UnaryOperator<Job> mapper) {
		this.steps.replaceAll((step) -> (step instanceof Batch batch) ? batch.mapJobs(mapper) : mapper.apply((Job) step));
		return this;
	}

	/**
	 * Stores the chain and enqueues its first step; returns its status then. The {@link Flows#interceptor
	 * interceptor} of the flows that built it may store it later instead (its status is then {@code WAITING}).
	 */
	public ChainStatus dispatch() {
		return this.flows.interceptor().dispatch(this, () -> this.flows.dispatch(this));
	}

}
