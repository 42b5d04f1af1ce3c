package dev.jobqueue.core.job;

/**
 * Why an attempt failed.
 *
 * @param message the error in plain words
 * @param exceptionType the exception's class name, for reading only (never loaded)
 * @param stackTrace the stack trace, possibly shortened
 * @param workerId the worker that ran the attempt, or {@code null} when the queue itself decided
 */
public record JobError(String message, String exceptionType, String stackTrace, String workerId) {
}
