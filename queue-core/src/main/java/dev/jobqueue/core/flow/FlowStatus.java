package dev.jobqueue.core.flow;

import java.util.Locale;

/** Where a chain or a batch is in its life. */
public enum FlowStatus {

	/** Stored inside another flow that has not reached it yet, or dispatched but not stored yet (until a commit). */
	WAITING,

	/** Its jobs run or wait to run. */
	RUNNING,

	/** A chain whose every step completed. */
	COMPLETED,

	/** A batch whose every member completed (or was skipped). */
	SUCCEEDED,

	/** A chain one of whose steps died, or a batch with a dead (or cancelled) member. */
	FAILED,

	/** Cancelled from outside, or by the failure of a batch it belonged to. */
	CANCELLED;

	/** Whether it will not change any more. */
	public boolean isFinished() {
		return this != WAITING && this != RUNNING;
	}

	static FlowStatus fromId(String id) {
		return valueOf(id.toUpperCase(Locale.ROOT));
	}

}
