package dev.jobqueue.spring.container;

import java.time.Duration;
import java.util.List;

import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.worker.JobExecutionListener;

/** Calls every {@link JobExecutionListener} bean of the application, in order. */
public final class CompositeJobExecutionListener implements JobExecutionListener {

	private final List<JobExecutionListener> listeners;

	public CompositeJobExecutionListener(List<JobExecutionListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void onStarted(LeasedJob job, Duration waited) {
		this.listeners.forEach((listener) -> listener.onStarted(job, waited));
	}

	@Override
	public void onCompleted(LeasedJob job, Duration took) {
		this.listeners.forEach((listener) -> listener.onCompleted(job, took));
	}

	@Override
	public void onRetrying(LeasedJob job, Throwable error, Duration retryDelay, Duration took) {
		this.listeners.forEach((listener) -> listener.onRetrying(job, error, retryDelay, took));
	}

	@Override
	public void onDeadLettered(LeasedJob job, Throwable error, Duration took) {
		this.listeners.forEach((listener) -> listener.onDeadLettered(job, error, took));
	}

	@Override
	public void onLeaseLost(LeasedJob job) {
		this.listeners.forEach((listener) -> listener.onLeaseLost(job));
	}

}
