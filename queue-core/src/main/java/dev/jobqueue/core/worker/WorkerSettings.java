package dev.jobqueue.core.worker;

import java.time.Duration;
import java.util.List;

import dev.jobqueue.core.middleware.JobMiddleware;

/** A worker's settings that its parts share. Immutable. */
record WorkerSettings(String id, JobHandlers handlers, RetryPolicy retryPolicy, Duration timeout,
		JobExecutionListener listener, Duration unknownTypeGrace, int maxStuckHandlers, List<JobMiddleware> middleware) {
}
