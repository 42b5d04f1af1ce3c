package dev.jobqueue.spring.test;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import org.assertj.core.api.AbstractAssert;

import dev.jobqueue.core.codec.PayloadCodec;

/**
 * AssertJ assertions on the jobs a test dispatched, narrowing as they go:
 * {@code dispatched().hasDispatched("send_email").times(1).onQueue("emails").withPayload(Email.class, e -> ...)}.
 * Payloads are bound from their recorded JSON to the class given, as a handler would see them.
 */
public class DispatchedJobsAssert extends AbstractAssert<DispatchedJobsAssert, List<DispatchedJob>> {

	private final PayloadCodec codec;

	private final String selection;

	DispatchedJobsAssert(List<DispatchedJob> jobs, PayloadCodec codec, String selection) {
		super(jobs, DispatchedJobsAssert.class);
		this.codec = codec;
		this.selection = selection;
	}

	private DispatchedJobsAssert narrow(List<DispatchedJob> jobs, String selection) {
		return new DispatchedJobsAssert(jobs, this.codec, selection);
	}

	/** Nothing was dispatched (of the selection). */
	public DispatchedJobsAssert isNothingDispatched() {
		isNotNull();
		if (!this.actual.isEmpty()) {
			failWithMessage("Expected no %s to be dispatched, but found %d: %s", this.selection, this.actual.size(),
					this.actual);
		}
		return this;
	}

	/** At least one job of {@code type} was dispatched; what follows is about those jobs. */
	public DispatchedJobsAssert hasDispatched(String type) {
		isNotNull();
		List<DispatchedJob> ofType = this.actual.stream().filter((job) -> job.type().equals(type)).toList();
		if (ofType.isEmpty()) {
			failWithMessage("Expected a job of type '%s' to be dispatched, but %s", type, describeAll());
		}
		return narrow(ofType, "job of type '" + type + "'");
	}

	/** No job of {@code type} was dispatched. */
	public DispatchedJobsAssert hasNotDispatched(String type) {
		isNotNull();
		List<DispatchedJob> ofType = this.actual.stream().filter((job) -> job.type().equals(type)).toList();
		if (!ofType.isEmpty()) {
			failWithMessage("Expected no job of type '%s' to be dispatched, but found %d: %s", type, ofType.size(),
					ofType);
		}
		return this;
	}

	/** Exactly {@code count} jobs were dispatched (of the selection). */
	public DispatchedJobsAssert times(int count) {
		isNotNull();
		if (this.actual.size() != count) {
			failWithMessage("Expected %d %s to be dispatched, but found %d: %s", count, plural(), this.actual.size(),
					this.actual);
		}
		return this;
	}

	/** Every job of the selection went to {@code queue}. */
	public DispatchedJobsAssert onQueue(String queue) {
		isNotNull();
		List<DispatchedJob> elsewhere = this.actual.stream().filter((job) -> !job.queue().equals(queue)).toList();
		if (!elsewhere.isEmpty()) {
			failWithMessage("Expected every %s to go to queue '%s', but these did not: %s", this.selection, queue,
					elsewhere);
		}
		return this;
	}

	/** Every job of the selection belongs to the chain or batch with this id (the id its dispatch returned). */
	public DispatchedJobsAssert inFlow(String flowId) {
		isNotNull();
		List<DispatchedJob> elsewhere = this.actual.stream().filter((job) -> !Objects.equals(job.flow(), flowId)).toList();
		if (!elsewhere.isEmpty()) {
			failWithMessage("Expected every %s to belong to flow '%s', but these did not: %s", this.selection, flowId,
					elsewhere);
		}
		return this;
	}

	/** Every job of the selection was dispatched with this delay. */
	public DispatchedJobsAssert withDelay(Duration delay) {
		isNotNull();
		List<DispatchedJob> other = this.actual.stream().filter((job) -> !Objects.equals(job.delay(), delay)).toList();
		if (!other.isEmpty()) {
			failWithMessage("Expected every %s to be dispatched with a delay of %s, but these were not: %s",
					this.selection, delay, other);
		}
		return this;
	}

	/**
	 * At least one job of the selection has a payload that, bound to {@code type}, matches; what follows is
	 * about the jobs that match.
	 */
	public <T> DispatchedJobsAssert withPayload(Class<T> type, Predicate<? super T> matcher) {
		isNotNull();
		List<DispatchedJob> matching = this.actual.stream()
			.filter((job) -> matcher.test(this.codec.read(job.payloadJson(), type)))
			.toList();
		if (matching.isEmpty()) {
			failWithMessage("Expected a %s with a %s payload that matches, but none of these did: %s", this.selection,
					type.getSimpleName(), this.actual);
		}
		return narrow(matching, this.selection + " with a matching payload");
	}

	/** At least one job of the selection has exactly this payload, compared as JSON. */
	public DispatchedJobsAssert withPayload(Object payload) {
		isNotNull();
		String json = this.codec.write(payload);
		List<DispatchedJob> matching = this.actual.stream()
			.filter((job) -> this.codec.readTree(job.payloadJson()).equals(this.codec.readTree(json)))
			.toList();
		if (matching.isEmpty()) {
			failWithMessage("Expected a %s with payload %s, but found: %s", this.selection, json, this.actual);
		}
		return narrow(matching, this.selection + " with payload " + json);
	}

	private String plural() {
		return this.selection.startsWith("job") ? "jobs" + this.selection.substring(3) : this.selection;
	}

	private String describeAll() {
		return this.actual.isEmpty() ? "nothing was dispatched" : "only these were: " + this.actual;
	}

}
