package dev.jobqueue.core.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.core.dlq.DeadLetterQueue;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.redis.RedisScript;
import dev.jobqueue.core.redis.RedisSetupCheck;

/**
 * A {@link JobQueue} in Redis, over one {@link RedisJobStore}. Every step that touches more than one key is
 * one Lua script, so a crash between two commands cannot lose or duplicate a job; times (due, lease
 * deadlines) come from Redis's clock. Thread-safe; the Jedis client is shared and closed by its owner.
 */
public class RedisJobQueue implements JobQueue {

	/** An idle consumer looks again at least this often, which bounds how late a delayed job starts. */
	public static final Duration MAX_IDLE_WAIT = Duration.ofMillis(500);

	private static final RedisScript CANCEL = RedisJobStore.script("cancel");

	private static final RedisScript STATS = RedisJobStore.script("stats");

	private static final RedisScript PEEK = RedisJobStore.script("peek");

	private final RedisJobStore store;

	private final RedisDeadLetterQueue deadLetters;

	private final EnqueueCombiner combiner;

	public RedisJobQueue(UnifiedJedis redis, String name) {
		this(redis, name, QueueOptions.defaults());
	}

	public RedisJobQueue(UnifiedJedis redis, String name, QueueOptions options) {
		this(new RedisJobStore(redis, QueueKeys.of(options.keyPrefix(), name), options));
	}

	/** A queue over one store, e.g. one shard of a {@link dev.jobqueue.core.shard.ShardedQueue}. */
	public RedisJobQueue(RedisJobStore store) {
		this.store = store;
		this.deadLetters = new RedisDeadLetterQueue(store);
		this.combiner = new EnqueueCombiner(store);
		RedisSetupCheck.checkOnce(store.redis(), store.options().strictRedisCheck());
	}

	@Override
	public String name() {
		return this.store.queue();
	}

	/** Where this queue's jobs live; what a worker runs jobs from. */
	public RedisJobStore store() {
		return this.store;
	}

	public QueueOptions options() {
		return this.store.options();
	}

	public QueueKeys keys() {
		return this.store.keys();
	}

	/** The client this queue talks through. */
	public UnifiedJedis redis() {
		return this.store.redis();
	}

	/** Adds a job; enqueues from many threads at once are sent together, in few script calls. */
	@Override
	public EnqueueResult enqueue(Job job) {
		try {
			return this.combiner.enqueue(new Enqueue(job));
		}
		catch (NotReplicatedException ex) {
			// Sent together with other callers' jobs: this caller hears of its own.
			throw ex.about(job.id());
		}
	}

	/**
	 * Adds a job without waiting: the returned future completes once it is stored (or fails). Many in flight
	 * from one caller are sent together, in few script calls.
	 */
	public CompletableFuture<EnqueueResult> enqueueAsync(Job job) {
		return this.combiner.enqueueAsync(new Enqueue(job));
	}

	@Override
	public List<EnqueueResult> enqueueAll(List<Job> jobs) {
		return this.store.enqueue(jobs.stream().map(Enqueue::new).toList());
	}

	@Override
	public EnqueueResult enqueue(Job job, Durability durability) {
		return this.store.enqueue(List.of(new Enqueue(job)), durability).get(0);
	}

	@Override
	public List<EnqueueResult> enqueueAll(List<Job> jobs, Durability durability) {
		return this.store.enqueue(jobs.stream().map(Enqueue::new).toList(), durability);
	}

	@Override
	public Optional<LeasedJob> dequeue(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			LeaseBatch batch = this.store.lease(1, true);
			if (!batch.jobs().isEmpty()) {
				return Optional.of(batch.jobs().get(0));
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return Optional.empty();
			}
			Duration wait = Duration.ofNanos(Math.min(remaining, MAX_IDLE_WAIT.toNanos()));
			if (batch.nextDue() != null && batch.nextDue().compareTo(wait) < 0) {
				wait = batch.nextDue();
			}
			redis().blpop(Math.max(wait.toMillis(), 10) / 1000.0, keys().wake());
		}
	}

	@Override
	public boolean settle(LeasedJob job, Outcome outcome) {
		return this.store.settle(List.of(new Settlement(job, outcome))).settled().get(0);
	}

	@Override
	public Optional<Job> peek() {
		List<?> reply = (List<?>) this.store.execute(PEEK, List.of(), List.of());
		if (reply == null || reply.get(1) == null) {
			return Optional.empty();
		}
		String id = (String) reply.get(0);
		return Optional.of(this.store.envelope.decode(id, name(), (String) reply.get(1), (int) RedisJobStore.asLong(reply.get(2))));
	}

	@Override
	public long size() {
		return stats().pending();
	}

	@Override
	public Optional<JobInfo> get(String id) {
		List<?> reply = (List<?>) this.store.execute(RedisJobStore.INSPECT, List.of(), List.of(id));
		if (reply == null) {
			return Optional.empty();
		}
		int attempts = (int) RedisJobStore.asLong(reply.get(3));
		Job job;
		try {
			job = this.store.envelope.decode(id, name(), (String) reply.get(0), attempts);
		}
		catch (CorruptJobException ex) {
			job = null;
		}
		long at = RedisJobStore.asLong(reply.get(2));
		String progress = (String) reply.get(8);
		int tab = (progress != null) ? progress.indexOf('\t') : -1;
		return Optional.of(new JobInfo(id, job, JobState.fromId((String) reply.get(1)),
				(at < 0) ? null : Instant.ofEpochMilli(at), attempts, (int) RedisJobStore.asLong(reply.get(4)),
				(int) RedisJobStore.asLong(reply.get(5)), this.store.envelope.decodeError((String) reply.get(6)),
				(String) reply.get(7), (progress != null) ? Integer.valueOf((tab < 0) ? progress : progress.substring(0, tab)) : null,
				RedisJobStore.asLong(reply.get(9)) == 1, (tab < 0) ? null : progress.substring(tab + 1)));
	}

	/** Also cancels a chain or a batch of this queue by its id (see {@code dev.jobqueue.core.flow.Flows#cancel}). */
	@Override
	public CancelResult cancel(String id) {
		Retention retention = options().completed();
		String outcome = (String) this.store.execute(CANCEL, List.of(), List.of(id, String.valueOf(retention.maxCount()),
				String.valueOf(retention.maxAgeMillis())));
		return switch (outcome) {
			case "cancelled" -> CancelResult.CANCELLED;
			case "requested" -> CancelResult.REQUESTED;
			case "unknown" -> CancelResult.NOT_FOUND;
			default -> CancelResult.NOT_CANCELLABLE;
		};
	}

	/** Stops workers from leasing jobs from this queue, at their next lease call; jobs keep arriving. */
	public void pause() {
		redis().set(keys().key("paused"), "1");
	}

	/** Lets workers lease from this queue again. */
	public void resume() {
		redis().del(keys().key("paused"));
		// Idle workers wait for a signal: jobs that arrived while paused are waiting now.
		redis().lpush(keys().wake(), "1");
		redis().ltrim(keys().wake(), 0, 31);
	}

	public boolean isPaused() {
		return redis().exists(keys().key("paused"));
	}

	@Override
	public QueueStats stats() {
		List<?> counts = (List<?>) this.store.execute(STATS, List.of(), List.of());
		long[] values = counts.stream().mapToLong(RedisJobStore::asLong).toArray();
		return new QueueStats(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]);
	}

	@Override
	public DeadLetterQueue deadLetters() {
		return this.deadLetters;
	}

	/** Does nothing: the Redis client belongs to whoever created it. */
	@Override
	public void close() {
	}

	@Override
	public String toString() {
		return "RedisJobQueue[" + name() + "]";
	}

}
