package dev.jobqueue.core.queue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.jobqueue.core.dlq.DeadLetterQueue;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobInfo;

/**
 * A named queue of jobs with at-least-once delivery. Jobs run highest priority first, FIFO within a
 * priority; delayed jobs wait for their due time. A dequeued job is leased: it stays in the queue
 * until its holder acknowledges it with the lease's token, and goes back to pending when the lease
 * expires. Implementations are thread-safe.
 */
public interface JobQueue extends AutoCloseable {

	String name();

	/** Adds a job; an existing id makes this a no-op that says so. */
	EnqueueResult enqueue(Job job);

	/** Adds many jobs in one round trip per batch. */
	List<EnqueueResult> enqueueAll(List<Job> jobs);

	/** Leases the next job, waiting up to {@code timeout} for one. */
	Optional<LeasedJob> dequeue(Duration timeout);

	/** Completes a leased job; {@code false} when the lease is no longer held (the result is dropped). */
	boolean ack(LeasedJob job, String resultJson);

	/** Records a failed attempt that will run again after {@code delay}; {@code false} when the lease is no longer held. */
	boolean retry(LeasedJob job, JobError error, Duration delay);

	/** Records a failed attempt that ends in the dead-letter queue; {@code false} when the lease is no longer held. */
	boolean deadLetter(LeasedJob job, JobError error);

	/** Extends a lease by the queue's lease duration; {@code false} when it is no longer held. */
	boolean extend(LeasedJob job);

	/** The job the next dequeue would lease. */
	Optional<Job> peek();

	/** Number of pending jobs (ready to run now). */
	long size();

	Optional<JobInfo> get(String id);

	/** Cancels a pending, scheduled or retrying job. */
	CancelResult cancel(String id);

	QueueStats stats();

	DeadLetterQueue deadLetters();

	@Override
	void close();

}
