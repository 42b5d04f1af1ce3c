package dev.jobqueue.core.shard;

/**
 * How a {@link ShardedQueue} picks the shard of a new job. Whatever the strategy, a job with a caller-chosen
 * id (an idempotency key) goes to the shard its id hashes to, so that the id is checked in one place.
 */
public enum ShardStrategy {

	/**
	 * Consistent hashing of the job id: the same id always lands on the same shard, and adding a shard moves
	 * about 1/N of the ids. An enqueue whose shard is down fails, naming the shard; it is never re-routed.
	 */
	HASH,

	/** Shards in turn, skipping those known to be down. */
	ROUND_ROBIN,

	/** The shard with the fewest pending jobs, from sizes refreshed in the background; down shards are skipped. */
	LEAST_LOADED

}
