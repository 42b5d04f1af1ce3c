package dev.jobqueue.spring.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.worker.JobExecutionListener;
import dev.jobqueue.core.worker.RetryPolicy;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.spring.dispatch.JobExecutionException;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.queue.JobQueues;

/**
 * What a test does with jobs: asserts on what the application dispatched, runs a job through its real
 * handler and JSON binding, and drains a real queue. Injected into {@code @JobQueueTest} tests. The
 * recordings are shared by the whole test context: call {@link #clear()} between tests (the kit does it
 * after each test method).
 */
public class JobQueueTester {

	/** How long {@link #drain(String)} lets a queue's jobs run before it fails the test. */
	public static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(1);

	private final RecordingJobDispatcher dispatcher;

	private final JobHandlerEndpointRegistry handlers;

	private final JobQueues queues;

	private final RetryPolicy retryPolicy;

	private final PayloadCodec codec;

	private final DispatchMode initialMode;

	public JobQueueTester(RecordingJobDispatcher dispatcher, JobHandlerEndpointRegistry handlers, JobQueues queues,
			RetryPolicy retryPolicy, PayloadCodec codec) {
		this.dispatcher = dispatcher;
		this.handlers = handlers;
		this.queues = queues;
		this.retryPolicy = retryPolicy;
		this.codec = codec;
		this.initialMode = dispatcher.mode();
	}

	/** Assertions on every job dispatched since the context started or the last {@link #clear()}. */
	public DispatchedJobsAssert dispatched() {
		return new DispatchedJobsAssert(this.dispatcher.dispatched(), this.codec, "job");
	}

	/** The recorded dispatches themselves, in order. */
	public List<DispatchedJob> dispatchedJobs() {
		return this.dispatcher.dispatched();
	}

	/** Forgets what was dispatched and goes back to the dispatch mode the test started with. */
	public void clear() {
		this.dispatcher.clear();
		this.dispatcher.mode(this.initialMode);
	}

	/** From now on, dispatches also do what {@code mode} says (until {@link #clear()}). */
	public JobQueueTester dispatchMode(DispatchMode mode) {
		this.dispatcher.mode(mode);
		return this;
	}

	/**
	 * Runs the type's handler now, in this thread, with the payload written as JSON and bound back to the
	 * handler's parameter, and returns its result. What the handler throws reaches the caller.
	 */
	public Object runJob(String type, Object payload) {
		return this.dispatcher.delegate().dispatchSync(type, payload);
	}

	/** As {@link #runJob(String, Object)}, the result cast to {@code resultType}. */
	public <T> T runJob(String type, Object payload, Class<T> resultType) {
		return resultType.cast(runJob(type, payload));
	}

	/**
	 * Runs the type's handler as {@link #runJob(String, Object)} does and returns what it threw (a checked
	 * exception as itself, not wrapped); fails the test when it completes.
	 */
	public Throwable expectJobToFail(String type, Object payload) {
		Object result;
		try {
			result = runJob(type, payload);
		}
		catch (JobExecutionException ex) {
			return (ex.getCause() != null) ? ex.getCause() : ex;
		}
		catch (RuntimeException | Error ex) {
			return ex;
		}
		throw new AssertionError("Expected job type '" + type + "' to fail, but it completed with result " + result);
	}

	/**
	 * Runs the jobs of {@code queue} in Redis, one at a time through the application's handlers, until none
	 * is pending or running, and says what ran and what failed. A failed job with retries left is retried
	 * later, not by this drain; a type without a handler is dead-lettered at once. Fails the test when the
	 * queue is not empty within {@link #DRAIN_TIMEOUT}.
	 */
	public DrainReport drain(String queue) {
		List<DrainReport.Ran> completed = new CopyOnWriteArrayList<>();
		List<DrainReport.Failed> failed = new CopyOnWriteArrayList<>();
		JobExecutionListener recorder = new JobExecutionListener() {

			@Override
			public void onCompleted(LeasedJob job, Duration took) {
				completed.add(new DrainReport.Ran(job.id(), job.job().type(), job.attempt()));
			}

			@Override
			public void onRetrying(LeasedJob job, Throwable error, Duration retryDelay, Duration took) {
				failed.add(new DrainReport.Failed(job.id(), job.job().type(), job.attempt(), error, false));
			}

			@Override
			public void onDeadLettered(LeasedJob job, Throwable error, Duration took) {
				failed.add(new DrainReport.Failed(job.id(), job.job().type(), job.attempt(), error, true));
			}

		};
		List<JobStore> stores = this.queues.stores(queue).stream().map(JobStore.class::cast).toList();
		Worker.Builder builder = Worker.builderForStores(stores)
			.id("drain-" + queue)
			.concurrency(1)
			.stopWhenEmpty(true)
			.unknownTypeGrace(Duration.ZERO)
			.retryPolicy(this.retryPolicy)
			.listener(recorder);
		this.handlers.endpoints()
			.forEach((endpoint) -> builder.handleJob(endpoint.type(), endpoint::invoke, endpoint.options()));
		Worker worker = builder.build().start();
		if (!worker.awaitTermination(DRAIN_TIMEOUT)) {
			worker.stop(Duration.ofSeconds(5));
			throw new AssertionError("Queue '" + queue + "' was not empty after " + DRAIN_TIMEOUT.toSeconds()
					+ " s of draining; completed " + completed.size() + ", failed " + failed);
		}
		return new DrainReport(completed, failed);
	}

}
