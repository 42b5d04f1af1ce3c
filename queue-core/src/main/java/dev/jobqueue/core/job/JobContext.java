package dev.jobqueue.core.job;

import java.util.Map;

/**
 * What a running handler can know and do about its job. Safe to use from the handler's thread and
 * from threads it starts.
 */
public interface JobContext {

	String jobId();

	String type();

	String queue();

	/** 1 on the first run; handlers use it to stay idempotent across retries and redeliveries. */
	int attempt();

	Map<String, String> metadata();

	/**
	 * Whether the handler should stop: its timeout passed, its lease was lost (another worker may run
	 * the job), or the worker handed the job back when its shutdown timeout ran out. The handler
	 * thread is also interrupted then, and nothing the attempt does afterwards is recorded.
	 */
	boolean isCancelled();

	/** Throws {@link JobCancelledException} when {@link #isCancelled()}, for long loops. */
	default void checkCancelled() {
		if (isCancelled()) {
			throw new JobCancelledException("Job " + jobId() + " was cancelled");
		}
	}

	/** Stores a progress value (e.g. a percentage) visible through the queue; ignored once the lease is lost. */
	void updateProgress(int progress);

}
