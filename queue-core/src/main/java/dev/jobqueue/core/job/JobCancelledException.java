package dev.jobqueue.core.job;

/** Thrown by {@link JobContext#stopIfRequested()} when a running attempt should stop; says why. */
public class JobCancelledException extends RuntimeException {

	private final StopReason reason;

	public JobCancelledException(String message, StopReason reason) {
		super(message);
		this.reason = reason;
	}

	public StopReason reason() {
		return this.reason;
	}

}
