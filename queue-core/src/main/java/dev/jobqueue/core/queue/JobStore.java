package dev.jobqueue.core.queue;

import java.util.Collection;
import java.util.List;

import redis.clients.jedis.UnifiedJedis;


/**
 * Everything a worker needs from Redis for the jobs under one hash tag (a queue, or later one shard of a
 * queue), on one client. Each method is one Lua script: a crash between two commands can neither lose nor
 * duplicate a job. Writes about a leased job carry its fencing token and are refused, writing nothing,
 * when the lease is no longer held. Implementations are thread-safe.
 */
public interface JobStore {

	/** The queue this store holds jobs of. */
	String queue();

	QueueKeys keys();

	QueueOptions options();

	/** The client this store talks through; idle workers block on {@link QueueKeys#wake()} with it. */
	UnifiedJedis redis();

	/**
	 * Stores jobs, each with its effects, in calls small enough to keep Redis responsive. A job whose id
	 * exists, or whose idempotency key lives, is left as it is (and its effects are not applied). A call
	 * whose reply was lost is sent again with the same ids, so it never creates a job twice.
	 */
	List<EnqueueResult> enqueue(List<Enqueue> requests);

	/**
	 * Promotes due delayed jobs and leases up to {@code max} pending ones, without waiting. With
	 * {@code allowSuspect}, one of them may be a suspect: a job whose lease expired unfinished before.
	 */
	LeaseBatch lease(int max, boolean allowSuspect);

	/** Writes the endings of attempts, each behind its own fencing check, with their effects. */
	SettleResult settle(List<Settlement> settlements);

	/** Extends the leases still held; says which were lost and which jobs were cancelled meanwhile. */
	ExtendResult extend(Collection<LeasedJob> leases);

	/** Reclaims up to {@code limit} jobs whose lease expired unfinished; poison pills are dead-lettered. */
	ReapResult reap(int limit);

	/** Applies the retention limits now, removing at most a batch per kind. */
	TrimResult trim();

	/** Stores a running job's progress; {@code false} when its lease is no longer held. */
	boolean updateProgress(LeasedJob lease, int progress);

	/** This store as {@code workerId} uses it: the events it writes name that worker. */
	default JobStore forWorker(String workerId) {
		return this;
	}

	/** Writes a worker's event ({@code worker_started}, {@code worker_stopped}) to the store's events, if kept. */
	default void workerEvent(String kind) {
	}

	/** Stores a running job's progress with a message (no tabs or line breaks are kept in it). */
	default boolean updateProgress(LeasedJob lease, int progress, String message) {
		return updateProgress(lease, progress);
	}

}
