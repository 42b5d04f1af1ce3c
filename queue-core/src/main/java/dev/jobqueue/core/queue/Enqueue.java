package dev.jobqueue.core.queue;

import java.util.List;
import java.util.Objects;

import dev.jobqueue.core.job.Job;

/** A job to enqueue and the effects applied with it, only if it is created. Immutable. */
public record Enqueue(Job job, List<Effect> effects) {

	public Enqueue {
		Objects.requireNonNull(job, "job");
		effects = List.copyOf(effects);
	}

	public Enqueue(Job job) {
		this(job, List.of());
	}

}
