package dev.jobqueue.core.queue;

import java.time.Instant;

import dev.jobqueue.core.job.Job;

/**
 * A job handed out by {@link JobQueue#dequeue}, with the lease that makes the holder its only
 * rightful finisher. Acks, retries and extensions carry the {@code token}; once the lease has
 * expired and the job was handed to someone else, the old token is refused.
 *
 * @param queue the queue it came from
 * @param id the job's id
 * @param token the lease's fencing token: larger for every grant
 * @param job the job, or {@code null} when its stored data is missing or corrupt
 * @param problem why {@code job} is {@code null}, in plain words
 * @param attempt 1 on the first run
 * @param failures failed attempts before this one
 * @param leasedAt when the lease was granted, by Redis's clock
 * @param position its place in the lease call's batch, which with the token gives the order jobs were leased in
 * @param suspect whether its lease expired unfinished before (a worker runs at most one suspect at a time)
 * @param tag the hash tag of the store it was leased from: the queue's name, or its shard's tag ({@code emails#3})
 */
public record LeasedJob(String queue, String id, long token, Job job, String problem, int attempt, int failures,
		Instant leasedAt, int position, boolean suspect, String tag) {

	public boolean isReadable() {
		return this.job != null;
	}

}
