package dev.jobqueue.core.queue;

import java.util.List;
import java.util.Objects;


/**
 * One attempt's ending, as handed to {@link JobStore#settle}: the lease that must still be held, the
 * outcome, and effects applied with it. Immutable.
 */
public record Settlement(LeasedJob lease, Outcome outcome, List<Effect> effects) {

	public Settlement {
		Objects.requireNonNull(lease, "lease");
		Objects.requireNonNull(outcome, "outcome");
		effects = List.copyOf(effects);
	}

	public Settlement(LeasedJob lease, Outcome outcome) {
		this(lease, outcome, List.of());
	}

}
