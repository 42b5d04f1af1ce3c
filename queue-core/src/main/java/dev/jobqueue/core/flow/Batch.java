package dev.jobqueue.core.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobIds;

/**
 * Many jobs enqueued at once under one id, with counts of pending, successful, failed and cancelled members
 * updated in the same Lua script that settles each member. Callbacks are jobs, enqueued exactly once when the
 * batch ends (by the script that settles its last member): {@code onSuccess} when every member succeeded,
 * {@code onFailure} otherwise, {@code onComplete} in both cases; none when the batch is cancelled. Without
 * {@link #allowFailures()} the first dead member fails the batch at once: its waiting members are cancelled
 * and its running ones asked to stop. Members may be chains. Not thread-safe: build it on one thread, then
 * {@link #dispatch()}.
 */
public final class Batch {

	private final Flows flows;

	private String id = JobIds.next();

	final List<Object> members = new ArrayList<>();

	boolean allowFailures;

	Job onSuccess;

	Job onFailure;

	Job onComplete;

	Batch(Flows flows) {
		this.flows = flows;
	}

	/** A caller-chosen id (dispatching a batch whose id exists does nothing); generated otherwise. */
	public Batch id(String id) {
		this.id = Flows.checkFlowId(id);
		return this;
	}

	public String id() {
		return this.id;
	}

	/** Adds a member; its id becomes the batch's id, {@code ':'} and its number. */
	public Batch add(Job job) {
		this.members.add(Objects.requireNonNull(job, "job"));
		return this;
	}

	public Batch add(String type, Object payload) {
		return add(Job.of(type, payload, this.flows.codec()));
	}

	public Batch addAll(List<Job> jobs) {
		jobs.forEach(this::add);
		return this;
	}

	/** Adds a chain as one member: it counts as successful when its last step completed. */
	public Batch add(Chain chain) {
		this.members.add(Objects.requireNonNull(chain, "chain"));
		return this;
	}

	/** Lets the batch run to the end when members die; it then fails only at the end. */
	public Batch allowFailures() {
		this.allowFailures = true;
		return this;
	}

	/** The job enqueued once when every member succeeded; its id is the batch's id and {@code :on_success}. */
	public Batch onSuccess(Job job) {
		this.onSuccess = Objects.requireNonNull(job, "job");
		return this;
	}

	/** The job enqueued once when the batch failed. */
	public Batch onFailure(Job job) {
		this.onFailure = Objects.requireNonNull(job, "job");
		return this;
	}

	/** The job enqueued once when the batch ended, succeeded or failed. */
	public Batch onComplete(Job job) {
		this.onComplete = Objects.requireNonNull(job, "job");
		return this;
	}

	/** The members in order, each a {@link Job} or a {@link Chain}. */
	public List<Object> members() {
		return Collections.unmodifiableList(this.members);
	}

	/** Whether {@link #allowFailures()} was called. */
	public boolean failuresAllowed() {
		return this.allowFailures;
	}

	/** The {@link #onSuccess(Job)} callback, or {@code null}. */
	public Job onSuccess() {
		return this.onSuccess;
	}

	/** The {@link #onFailure(Job)} callback, or {@code null}. */
	public Job onFailure() {
		return this.onFailure;
	}

	/** The {@link #onComplete(Job)} callback, or {@code null}. */
	public Job onComplete() {
		return this.onComplete;
	}

	/** Replaces each job of this batch (members, callbacks, its chains' steps) with what {@code mapper} makes of it. */
	public Batch mapJobs(UnaryOperator<Job> mapper) {
		this.members.replaceAll(
				(member) -> (member instanceof Chain chain) ? chain.mapJobs(mapper) : mapper.apply((Job) member));
		this.onSuccess = (this.onSuccess != null) ? mapper.apply(this.onSuccess) : null;
		this.onFailure = (this.onFailure != null) ? mapper.apply(this.onFailure) : null;
		this.onComplete = (this.onComplete != null) ? mapper.apply(this.onComplete) : null;
		return this;
	}

	/**
	 * Stores the batch and enqueues its members; returns its status then. The {@link Flows#interceptor
	 * interceptor} of the flows that built it may store it later instead (its status is then {@code WAITING}).
	 */
	public BatchStatus dispatch() {
		return this.flows.interceptor().dispatch(this, () -> this.flows.dispatch(this));
	}

}
