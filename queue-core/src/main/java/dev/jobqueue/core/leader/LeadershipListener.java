package dev.jobqueue.core.leader;

/** Told when this candidate becomes leader and when it stops being leader; must not block for long. */
public interface LeadershipListener {

	/** This candidate leads from now on, in {@code term}. */
	default void elected(String election, long term) {
	}

	/** This candidate no longer leads: it stepped down, lost the lease, or resigned. */
	default void revoked(String election, long term) {
	}

}
