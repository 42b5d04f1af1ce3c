package dev.jobqueue.core.queue;

/**
 * A leased job that ran successfully, with its result.
 *
 * @param job the leased job
 * @param resultJson the handler's result as JSON, or {@code null}
 */
public record Completion(LeasedJob job, String resultJson) {
}
