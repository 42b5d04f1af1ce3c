package dev.jobqueue.core.queue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.jobqueue.core.dlq.DeadLetterQueue;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobInfo;

/**
 * A named queue of jobs with at-least-once delivery. Jobs run highest priority first, FIFO within a
 * priority; delayed jobs wait for their due time. A dequeued job is leased: it stays in the queue
 * until its holder settles it with the lease's token, and goes back to pending when the lease
 * expires. Implementations are thread-safe.
 */
public interface JobQueue extends AutoCloseable {

	String name();

	/** Adds a job; an existing id makes this a no-op that says so. */
	EnqueueResult enqueue(Job job);

	/** Adds many jobs in one round trip per batch. */
	List<EnqueueResult> enqueueAll(List<Job> jobs);

	/**
	 * Adds a job, waiting for replicas as {@code durability} says instead of the queue's default; throws
	 * {@link NotReplicatedException} when it is stored but not yet replicated.
	 */
	EnqueueResult enqueue(Job job, Durability durability);

	/** Adds many jobs, waiting for replicas as {@code durability} says. */
	List<EnqueueResult> enqueueAll(List<Job> jobs, Durability durability);

	/** Leases the next job, waiting up to {@code timeout} for one. */
	Optional<LeasedJob> dequeue(Duration timeout);

	/**
	 * Ends an attempt of a job this caller leased: completed, retried, dead-lettered, handed back...;
	 * {@code false}, writing nothing, when the lease is no longer held. Workers do this for their jobs.
	 */
	boolean settle(LeasedJob job, Outcome outcome);

	/** The job the next dequeue would lease. */
	Optional<Job> peek();

	/** Number of pending jobs (ready to run now). */
	long size();

	Optional<JobInfo> get(String id);

	/** Cancels a job that has not finished: at once when it waits, at its worker's next heartbeat when it runs. */
	CancelResult cancel(String id);

	QueueStats stats();

	/** Workers lease nothing from a paused queue (they finish what they hold); enqueueing goes on. */
	void pause();

	void resume();

	boolean isPaused();

	DeadLetterQueue deadLetters();

	@Override
	void close();

}
