package dev.jobqueue.core.job;

/** Why a running attempt was told to stop. Only {@link #CANCELLED} ends the job; the others let it run again. */
public enum StopReason {

	/** The job was cancelled from outside ({@code JobQueue.cancel}); it ends cancelled and does not run again. */
	CANCELLED,

	/** The attempt ran past its timeout; it counts as a failed attempt (retried or dead-lettered). */
	TIMED_OUT,

	/** Redis says the lease is no longer this worker's: another worker may run the job now. */
	LEASE_LOST,

	/** The worker could not renew the lease before it ran out, so it stops before another worker may start. */
	LEASE_EXPIRED,

	/** The worker is shutting down and hands the job back; it runs again at once elsewhere. */
	SHUTDOWN

}
