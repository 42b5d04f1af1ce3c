package dev.jobqueue.core.job;

import java.util.Map;
import java.util.Optional;

import dev.jobqueue.core.codec.PayloadCodec;

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
	 * Why the handler should stop now, if it should: the job was cancelled, or the worker abandoned the
	 * attempt (timeout, lease lost or expired, shutdown). The handler thread is also interrupted then, and
	 * nothing the attempt does afterwards is recorded.
	 */
	Optional<StopReason> stopReason();

	/** Whether the handler should stop now, for whatever {@link #stopReason() reason}. */
	default boolean shouldStop() {
		return stopReason().isPresent();
	}

	/** Whether the job was cancelled from outside: it will not run again. */
	default boolean isCancelled() {
		return stopReason().filter((reason) -> reason == StopReason.CANCELLED).isPresent();
	}

	/** Whether the worker abandoned this attempt (timeout, lease lost or expired, shutdown): the job runs again. */
	default boolean isAbandoned() {
		return stopReason().filter((reason) -> reason != StopReason.CANCELLED).isPresent();
	}

	/** Throws {@link JobCancelledException} when the handler {@link #shouldStop() should stop}, for long loops. */
	default void stopIfRequested() {
		Optional<StopReason> reason = stopReason();
		if (reason.isPresent()) {
			throw new JobCancelledException("Job " + jobId() + " was told to stop: " + reason.get(), reason.get());
		}
	}

	/** Stores a progress value (e.g. a percentage) visible through the queue; ignored once the lease is lost. */
	void updateProgress(int progress);

	/** Stores a progress value with a message (e.g. {@code 25, "Processing step 1"}), shown with the job. */
	default void updateProgress(int progress, String message) {
		updateProgress(progress);
	}

	/**
	 * In a chain's step, the result JSON the step before it completed with; empty for the first step, for a
	 * step after one that returned nothing, and outside chains.
	 */
	default Optional<String> previousResultJson() {
		return Optional.empty();
	}

	/** {@link #previousResultJson()} bound to {@code type}. */
	default <T> Optional<T> previousResult(Class<T> type) {
		return previousResultJson().map((json) -> PayloadCodec.defaults().read(json, type));
	}

}
