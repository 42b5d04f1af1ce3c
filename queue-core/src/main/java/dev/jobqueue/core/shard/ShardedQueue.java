package dev.jobqueue.core.shard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.core.dlq.DeadLetterQueue;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.queue.CancelResult;
import dev.jobqueue.core.queue.Durability;
import dev.jobqueue.core.queue.EnqueueResult;
import dev.jobqueue.core.queue.JobQueue;
import dev.jobqueue.core.queue.LeaseBatch;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.NotReplicatedException;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.QueueKeys;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.QueueStats;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.RedisJobStore;
import dev.jobqueue.core.redis.RedisErrors;

/**
 * One logical queue made of N shards, each a {@link RedisJobStore} under its own hash tag ({@code emails#3}):
 * partitions of the queue on one Redis Cluster, spread over its masters, or N independent Redis servers. New
 * jobs go to a shard by the {@link ShardStrategy}; a job with a caller-chosen id always goes to the shard its
 * id hashes to, so idempotency stays exact. Priority and FIFO order hold within a shard, not across shards.
 * Reads ({@link #get}, {@link #cancel}, {@link #stats}, dead letters) span every shard.
 * <p>
 * A shard that fails is marked down, and a background refresh (every {@code refreshInterval}, also the source
 * of the sizes least-loaded routing uses) marks it up again once it answers. Enqueues that hash to a down shard
 * fail with {@link ShardUnavailableException} naming it, never re-routed; round-robin and least-loaded skip it.
 * Workers run the shards with {@code Worker.builderForStores(queue.stores()).rotateStores(true)}, which starts
 * each fetch round at the next shard so none starves. Thread-safe; {@link #close()} stops the refresh, the
 * clients belong to their creator.
 */
public final class ShardedQueue implements JobQueue {

	private static final Logger logger = LoggerFactory.getLogger(ShardedQueue.class);

	/** How often shard sizes and health are read by default. */
	public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);

	private final String name;

	private final List<RedisJobQueue> shards;

	private final Map<String, Integer> indexByTag = new LinkedHashMap<>();

	private final ShardStrategy strategy;

	private final ConsistentHashRing ring;

	private final AtomicLong turn = new AtomicLong();

	private final AtomicLongArray pending;

	private final AtomicIntegerArray down;

	private final ShardedDeadLetterQueue deadLetters;

	private final ScheduledExecutorService refresher;

	/** A sharded queue over the given stores, all holding jobs of one queue under distinct tags. */
	public ShardedQueue(List<RedisJobStore> stores, ShardStrategy strategy, Duration refreshInterval) {
		if (stores.isEmpty()) {
			throw new IllegalArgumentException("A sharded queue needs at least one shard");
		}
		this.name = stores.get(0).queue();
		this.strategy = strategy;
		List<RedisJobQueue> shards = new ArrayList<>();
		for (RedisJobStore store : stores) {
			if (!store.queue().equals(this.name)) {
				throw new IllegalArgumentException("Store " + store + " holds queue '" + store.queue() + "', not '"
						+ this.name + "'");
			}
			if (this.indexByTag.putIfAbsent(store.keys().tag(), shards.size()) != null) {
				throw new IllegalArgumentException("Two shards of queue '" + this.name + "' have the tag "
						+ store.keys().tag());
			}
			shards.add(new RedisJobQueue(store));
		}
		this.shards = List.copyOf(shards);
		this.ring = new ConsistentHashRing(List.copyOf(this.indexByTag.keySet()));
		this.pending = new AtomicLongArray(shards.size());
		this.down = new AtomicIntegerArray(shards.size());
		this.deadLetters = new ShardedDeadLetterQueue(this);
		this.refresher = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "jobqueue-" + this.name + "-shards");
			thread.setDaemon(true);
			return thread;
		});
		refresh();
		ShardLayouts.register(stores.get(0).keys().prefix(), this);
		this.refresher.scheduleWithFixedDelay(this::refresh, refreshInterval.toMillis(), refreshInterval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	/**
	 * {@code count} partitions of queue {@code name} on one Redis Cluster, spread over its masters; their tags are
	 * recorded in the cluster so that every client uses the same ones (see the README, "Scaling out").
	 */
	public static ShardedQueue onCluster(RedisClusterClient cluster, String name, int count, QueueOptions options,
			ShardStrategy strategy) {
		List<String> tags = ClusterPartitions.tags(cluster, options.keyPrefix(), name, count);
		return new ShardedQueue(tags.stream()
			.map((tag) -> new RedisJobStore(cluster, QueueKeys.of(options.keyPrefix(), name, tag), options))
			.toList(), strategy, DEFAULT_REFRESH_INTERVAL);
	}

	/** Queue {@code name} sharded over independent servers, one shard each, tagged {@code name#0}, {@code name#1}... */
	public static ShardedQueue onServers(List<? extends UnifiedJedis> servers, String name, QueueOptions options,
			ShardStrategy strategy) {
		List<RedisJobStore> stores = new ArrayList<>();
		for (int i = 0; i < servers.size(); i++) {
			stores.add(new RedisJobStore(servers.get(i), QueueKeys.of(options.keyPrefix(), name, name + "#" + i), options));
		}
		return new ShardedQueue(stores, strategy, DEFAULT_REFRESH_INTERVAL);
	}

	@Override
	public String name() {
		return this.name;
	}

	public ShardStrategy strategy() {
		return this.strategy;
	}

	public int numShards() {
		return this.shards.size();
	}

	/** Pauses every shard. */
	@Override
	public void pause() {
		this.shards.forEach(RedisJobQueue::pause);
	}

	@Override
	public void resume() {
		this.shards.forEach(RedisJobQueue::resume);
	}

	/** Whether every shard is paused. */
	@Override
	public boolean isPaused() {
		return this.shards.stream().allMatch(RedisJobQueue::isPaused);
	}

	/** The shards, in order. */
	public List<RedisJobQueue> shards() {
		return this.shards;
	}

	/** The shards' stores, in order: what a worker runs jobs from. */
	public List<RedisJobStore> stores() {
		return this.shards.stream().map(RedisJobQueue::store).toList();
	}

	/** The shards' hash tags, in order. */
	public List<String> tags() {
		return List.copyOf(this.indexByTag.keySet());
	}

	/** Pending jobs per shard, read now, in shard order. */
	public List<Long> sizePerShard() {
		List<Long> sizes = new ArrayList<>(numShards());
		for (int i = 0; i < numShards(); i++) {
			int shard = i;
			sizes.add(call(shard, () -> this.shards.get(shard).size()));
		}
		return sizes;
	}

	/** Whether the shard answered the last time it was used or checked. */
	public boolean isUp(int shard) {
		return this.down.get(shard) == 0;
	}

	/**
	 * Picks the shard of a new job: its id's shard for caller-chosen ids and the hash strategy (which has no side
	 * effect), else the next up shard in turn or the least loaded one (which counts the job there).
	 */
	public int shardFor(Job job) {
		int count = numShards();
		if (this.strategy == ShardStrategy.HASH || job.idempotent()) {
			int shard = this.ring.shardOf(job.id());
			if (!isUp(shard)) {
				throw new ShardUnavailableException(this.name, tag(shard), "job " + job.id() + " belongs to it and is "
						+ "not sent elsewhere; it was found down and is used again once a background check finds it up",
						null);
			}
			return shard;
		}
		int best = -1;
		for (int k = 0; k < count; k++) {
			int shard = (this.strategy == ShardStrategy.ROUND_ROBIN) ? (int) Math.floorMod(this.turn.getAndIncrement(), count)
					: k;
			if (!isUp(shard)) {
				continue;
			}
			if (this.strategy == ShardStrategy.ROUND_ROBIN) {
				return shard;
			}
			if (best < 0 || this.pending.get(shard) < this.pending.get(best)) {
				best = shard;
			}
		}
		if (best < 0) {
			throw new ShardUnavailableException(this.name, String.join(",", tags()), "every shard is down", null);
		}
		// Counted at once so that a burst between two refreshes spreads instead of piling on one shard.
		this.pending.incrementAndGet(best);
		return best;
	}

	@Override
	public EnqueueResult enqueue(Job job) {
		return enqueueAll(List.of(job)).get(0);
	}

	@Override
	public EnqueueResult enqueue(Job job, Durability durability) {
		return enqueueAll(List.of(job), durability).get(0);
	}

	/**
	 * Adds jobs, one call per shard they go to. When a shard fails, the jobs of the shards before it are stored
	 * and the {@link ShardUnavailableException} names the shard; nothing is sent elsewhere.
	 */
	@Override
	public List<EnqueueResult> enqueueAll(List<Job> jobs) {
		return send(jobs, null);
	}

	@Override
	public List<EnqueueResult> enqueueAll(List<Job> jobs, Durability durability) {
		return send(jobs, Objects.requireNonNull(durability, "durability"));
	}

	/** Sends jobs to their shards, waiting for replicas as {@code durability} says, or as each shard's options do. */
	private List<EnqueueResult> send(List<Job> jobs, Durability durability) {
		Map<Integer, List<Integer>> byShard = new LinkedHashMap<>();
		for (int i = 0; i < jobs.size(); i++) {
			byShard.computeIfAbsent(shardFor(jobs.get(i)), (shard) -> new ArrayList<>()).add(i);
		}
		EnqueueResult[] results = new EnqueueResult[jobs.size()];
		NotReplicatedException notReplicated = null;
		for (Map.Entry<Integer, List<Integer>> entry : byShard.entrySet()) {
			int shard = entry.getKey();
			List<Job> batch = entry.getValue().stream().map(jobs::get).toList();
			RedisJobQueue queue = this.shards.get(shard);
			List<EnqueueResult> stored;
			try {
				stored = call(shard, () -> (durability != null) ? queue.enqueueAll(batch, durability) : queue.enqueueAll(batch));
			}
			catch (NotReplicatedException ex) {
				notReplicated = ex;
				stored = ex.results();
			}
			for (int k = 0; k < batch.size(); k++) {
				results[entry.getValue().get(k)] = stored.get(k);
			}
		}
		if (notReplicated != null) {
			throw new NotReplicatedException("queue '" + this.name + "'", List.of(results), notReplicated.replicas(),
					notReplicated.confirmed());
		}
		return List.of(results);
	}

	/** Leases the next job of any shard, starting at the next one in turn, waiting up to {@code timeout}. */
	@Override
	public Optional<LeasedJob> dequeue(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			int start = (int) Math.floorMod(this.turn.getAndIncrement(), numShards());
			for (int k = 0; k < numShards(); k++) {
				int shard = (start + k) % numShards();
				if (isUp(shard)) {
					LeaseBatch batch = call(shard, () -> this.shards.get(shard).store().lease(1, true));
					if (!batch.jobs().isEmpty()) {
						return Optional.of(batch.jobs().get(0));
					}
				}
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return Optional.empty();
			}
			// Waits on one shard's wake-up list at a time: workers, which wait on all at once, are the way to run jobs.
			RedisJobQueue next = this.shards.get(start);
			long waitMillis = Math.max(10, Math.min(TimeUnit.NANOSECONDS.toMillis(remaining),
					RedisJobQueue.MAX_IDLE_WAIT.toMillis() / numShards()));
			call(start, () -> next.redis().blpop(waitMillis / 1000.0, next.keys().wake()));
		}
	}

	@Override
	public boolean settle(LeasedJob job, Outcome outcome) {
		return this.shards.get(indexOf(job)).settle(job, outcome);
	}

	private int indexOf(LeasedJob job) {
		Integer shard = this.indexByTag.get(job.tag());
		if (shard == null) {
			throw new IllegalArgumentException("Job " + job.id() + " was leased from {" + job.tag() + "}, not from a "
					+ "shard of queue '" + this.name + "' " + tags());
		}
		return shard;
	}

	/** The highest-priority, then oldest, of the jobs each shard would lease next. */
	@Override
	public Optional<Job> peek() {
		return eachShard((shard) -> shard.peek().orElse(null)).stream()
			.min(Comparator.comparingInt(Job::priority).reversed().thenComparing(Job::createdAt));
	}

	@Override
	public long size() {
		return sizePerShard().stream().mapToLong(Long::longValue).sum();
	}

	/** Looks in the shard the id hashes to first (where caller-chosen ids are), then in the others. */
	@Override
	public Optional<JobInfo> get(String id) {
		return firstAnswer(id, (shard) -> shard.get(id).orElse(null));
	}

	@Override
	public CancelResult cancel(String id) {
		return firstAnswer(id, (shard) -> {
			CancelResult cancelled = shard.cancel(id);
			return (cancelled == CancelResult.NOT_FOUND) ? null : cancelled;
		}).orElse(CancelResult.NOT_FOUND);
	}

	/** Counts summed over the shards; fails, naming it, when a shard cannot be read. */
	@Override
	public QueueStats stats() {
		long[] sums = new long[8];
		for (QueueStats stats : eachShard(RedisJobQueue::stats)) {
			long[] values = { stats.pending(), stats.scheduled(), stats.active(), stats.completed(), stats.retrying(),
					stats.dead(), stats.cancelled(), stats.skipped() };
			for (int i = 0; i < sums.length; i++) {
				sums[i] += values[i];
			}
		}
		return new QueueStats(sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7]);
	}

	/** Counts per shard, in shard order. */
	public List<QueueStats> statsPerShard() {
		return eachShard(RedisJobQueue::stats);
	}

	@Override
	public DeadLetterQueue deadLetters() {
		return this.deadLetters;
	}

	/** Stops the background refresh; the clients belong to whoever created them. */
	@Override
	public void close() {
		ShardLayouts.unregister(this.shards.get(0).keys().prefix(), this);
		this.refresher.shutdownNow();
	}

	@Override
	public String toString() {
		return "ShardedQueue[" + this.name + ", " + this.strategy + ", " + tags() + "]";
	}

	String tag(int shard) {
		return this.shards.get(shard).keys().tag();
	}

	/** Runs {@code action} on every shard, in order; fails with the first shard that cannot answer. */
	<T> List<T> eachShard(Function<RedisJobQueue, T> action) {
		List<T> results = new ArrayList<>(numShards());
		for (int i = 0; i < numShards(); i++) {
			int shard = i;
			T result = call(shard, () -> action.apply(this.shards.get(shard)));
			if (result != null) {
				results.add(result);
			}
		}
		return results;
	}

	/**
	 * The first non-null answer about {@code id}, asking its hash shard first; a shard that cannot answer fails the
	 * call only when no other shard knows the id.
	 */
	<T> Optional<T> firstAnswer(String id, Function<RedisJobQueue, T> action) {
		int home = this.ring.shardOf(id);
		ShardUnavailableException unavailable = null;
		for (int k = 0; k < numShards(); k++) {
			int shard = (home + k) % numShards();
			try {
				T answer = call(shard, () -> action.apply(this.shards.get(shard)));
				if (answer != null) {
					return Optional.of(answer);
				}
			}
			catch (ShardUnavailableException ex) {
				unavailable = (unavailable != null) ? unavailable : ex;
			}
		}
		if (unavailable != null) {
			throw unavailable;
		}
		return Optional.empty();
	}

	private interface ShardCall<T> {

		T run();

	}

	/** Runs a call on one shard; a transient failure marks the shard down and becomes a ShardUnavailableException. */
	private <T> T call(int shard, ShardCall<T> action) {
		try {
			T result = action.run();
			this.down.set(shard, 0);
			return result;
		}
		catch (RuntimeException ex) {
			if (ex instanceof NotReplicatedException || !RedisErrors.isTransient(ex)) {
				throw ex;
			}
			if (this.down.getAndSet(shard, 1) == 0) {
				logger.warn("Shard {} of queue '{}' is down: {}", tag(shard), this.name, ex.toString());
			}
			throw new ShardUnavailableException(this.name, tag(shard), ex.toString(), ex);
		}
	}

	/** Reads every shard's size and health now (the background refresh does this every interval). */
	void refresh() {
		for (int shard = 0; shard < numShards(); shard++) {
			try {
				this.pending.set(shard, this.shards.get(shard).size());
				if (this.down.getAndSet(shard, 0) == 1) {
					logger.info("Shard {} of queue '{}' answers again", tag(shard), this.name);
				}
			}
			catch (RuntimeException ex) {
				if (this.down.getAndSet(shard, 1) == 0) {
					logger.warn("Shard {} of queue '{}' is down: {}", tag(shard), this.name, ex.toString());
				}
			}
		}
	}

}
