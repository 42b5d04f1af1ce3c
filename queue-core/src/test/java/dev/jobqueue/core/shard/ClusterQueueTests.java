package dev.jobqueue.core.shard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.core.job.BackOff;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.job.Priority;
import dev.jobqueue.core.queue.CancelResult;
import dev.jobqueue.core.queue.EnqueueResult;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.QueueKeys;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.RedisJobStore;
import dev.jobqueue.core.queue.Retention;
import dev.jobqueue.core.worker.RetryPolicy;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.LocalRedisCluster;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The queue's core behaviour on a 3-master Redis Cluster, side by side with one standalone server (every script
 * keeps its keys under one hash tag, so none meets CROSSSLOT), and sharded queues spread over the masters.
 */
class ClusterQueueTests {

	private static LocalRedisCluster cluster;

	private static LocalRedisServer standalone;

	private static final AtomicInteger names = new AtomicInteger();

	private final List<Worker> workers = new ArrayList<>();

	private final List<ShardedQueue> sharded = new ArrayList<>();

	record Email(String to) {
	}

	@BeforeAll
	static void startRedis() {
		cluster = LocalRedisCluster.start();
		standalone = LocalRedisServer.create().start();
	}

	@AfterAll
	static void stopRedis() {
		if (cluster != null) {
			cluster.close();
		}
		if (standalone != null) {
			standalone.close();
		}
	}

	@AfterEach
	void stopWorkers() {
		this.workers.forEach((worker) -> worker.stop(Duration.ofSeconds(5)));
		this.sharded.forEach(ShardedQueue::close);
	}

	static Stream<String> targets() {
		return Stream.of("standalone", "cluster");
	}

	private static UnifiedJedis redis(String target) {
		return target.equals("cluster") ? cluster.client() : standalone.client();
	}

	/** A queue of its own per test, so tests need no flush between them. */
	private static RedisJobQueue queue(String target, QueueOptions options) {
		return new RedisJobQueue(redis(target), "q" + names.incrementAndGet(), options);
	}

	@ParameterizedTest
	@MethodSource("targets")
	void jobsRunHighestPriorityFirstAndFifoWithinAPriority(String target) {
		RedisJobQueue queue = queue(target, QueueOptions.defaults());
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 250; i++) {
			jobs.add(Job.of("t", new Email("n" + i)).withId("normal-" + i));
		}
		jobs.add(Job.of("t", new Email("c")).withId("critical").withPriority(Priority.CRITICAL));
		assertThat(queue.enqueueAll(jobs)).allMatch(EnqueueResult::created);
		assertThat(queue.enqueue(Job.of("t", new Email("again")).withId("normal-7")).created()).isFalse();

		List<String> order = new ArrayList<>();
		Optional<LeasedJob> next;
		while ((next = queue.dequeue(Duration.ZERO)).isPresent()) {
			order.add(next.get().id());
		}

		assertThat(order).hasSize(251).startsWith("critical", "normal-0", "normal-1", "normal-2").endsWith("normal-249");
	}

	@ParameterizedTest
	@MethodSource("targets")
	void aDelayedJobWaitsForItsTimeOnRedisClock(String target) {
		RedisJobQueue queue = queue(target, QueueOptions.defaults());
		queue.enqueue(Job.of("t", new Email("later")).withId("later").withDelay(Duration.ofSeconds(1)));

		assertThat(queue.dequeue(Duration.ZERO)).isEmpty();
		assertThat(queue.get("later")).get().extracting((info) -> info.state()).isEqualTo(JobState.SCHEDULED);
		assertThat(queue.dequeue(Duration.ofSeconds(10))).get().extracting(LeasedJob::id).isEqualTo("later");
	}

	@ParameterizedTest
	@MethodSource("targets")
	void anExpiredLeaseIsReclaimedAndAStaleAckIsRefused(String target) {
		RedisJobQueue queue = queue(target, QueueOptions.defaults().withLeaseDuration(Duration.ofMillis(200)));
		queue.enqueue(Job.of("t", new Email("a")).withId("a"));
		LeasedJob first = queue.dequeue(Duration.ZERO).orElseThrow();

		await().atMost(Duration.ofSeconds(20)).until(() -> !queue.store().reap(100).reclaimed().isEmpty());
		LeasedJob second = queue.dequeue(Duration.ZERO).orElseThrow();

		assertThat(second.attempt()).isEqualTo(2);
		assertThat(queue.settle(first, new Outcome.Completed(null))).isFalse();
		assertThat(queue.settle(second, new Outcome.Completed(null))).isTrue();
		assertThat(queue.get("a")).get().extracting((info) -> info.state()).isEqualTo(JobState.COMPLETED);
	}

	@ParameterizedTest
	@MethodSource("targets")
	void aFailingJobIsRetriedThenDeadLetteredAndCanBeRevived(String target) {
		RedisJobQueue queue = queue(target, QueueOptions.defaults());
		AtomicInteger calls = new AtomicInteger();
		start(Worker.builder(queue)
			.retryPolicy(RetryPolicy.defaults().withMaxRetries(2).withBackoff(BackOff.fixed(Duration.ofMillis(50))))
			.handle("t", Email.class, (email, ctx) -> {
				calls.incrementAndGet();
				throw new IllegalStateException("smtp down");
			}));
		queue.enqueue(Job.of("t", new Email("x")).withId("x"));

		await().atMost(Duration.ofSeconds(30)).until(() -> queue.deadLetters().size() == 1);
		assertThat(calls).hasValue(3);
		assertThat(queue.deadLetters().get("x")).get().extracting((letter) -> letter.message()).isEqualTo("smtp down");
		assertThat(queue.deadLetters().retryAll()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() == 6 && queue.deadLetters().size() == 1);
	}

	@ParameterizedTest
	@MethodSource("targets")
	void completedJobsAreKeptWithinTheRetentionAndWaitingJobsCanBeCancelled(String target) {
		RedisJobQueue queue = queue(target, QueueOptions.defaults()
			.withCompletedRetention(new Retention(2, Duration.ofDays(1))));
		start(Worker.builder(queue).handle("t", Email.class, (email, ctx) -> {
		}));
		for (int i = 0; i < 5; i++) {
			queue.enqueue(Job.of("t", new Email("r" + i)).withId("r" + i));
		}
		queue.enqueue(Job.of("t", new Email("later")).withId("later").withDelay(Duration.ofHours(1)));

		await().atMost(Duration.ofSeconds(30)).until(() -> queue.stats().completed() == 2 && queue.stats().pending() == 0);
		assertThat(queue.get("r0")).isEmpty();
		assertThat(queue.get("r4")).get().extracting((info) -> info.state()).isEqualTo(JobState.COMPLETED);
		assertThat(queue.cancel("later")).isEqualTo(CancelResult.CANCELLED);
	}

	@Test
	void sixPartitionsSpreadOverTheThreeMastersAndEveryJobRuns() {
		String name = "spread" + names.incrementAndGet();
		ShardedQueue queue = sharded(ShardedQueue.onCluster(cluster.client(), name, 6, QueueOptions.defaults(),
				ShardStrategy.ROUND_ROBIN));
		Map<Integer, Integer> partitionsPerMaster = new HashMap<>();
		for (String tag : queue.tags()) {
			partitionsPerMaster.merge(cluster.masterFor("{" + tag + "}").port(), 1, Integer::sum);
		}
		assertThat(partitionsPerMaster).hasSize(3).allSatisfy((port, count) -> assertThat(count).isEqualTo(2));
		// A second client finds the same partitions, as recorded in the cluster.
		assertThat(ShardedQueue.onCluster(cluster.client(), name, 6, QueueOptions.defaults(), ShardStrategy.HASH).tags())
			.isEqualTo(queue.tags());

		Set<String> ran = ConcurrentHashMap.newKeySet();
		start(Worker.builderForStores(queue.stores()).rotateStores(true).concurrency(8)
			.handle("t", Email.class, (email, ctx) -> ran.add(ctx.jobId())));
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 600; i++) {
			jobs.add(Job.of("t", new Email("s" + i)));
		}
		queue.enqueueAll(jobs);

		await().atMost(Duration.ofSeconds(60)).until(() -> ran.size() == 600);
		assertThat(queue.stats().completed()).isEqualTo(600);
		assertThat(queue.statsPerShard()).allSatisfy((stats) -> assertThat(stats.completed()).isEqualTo(100));
	}

	@Test
	void eachStrategySpreadsTenThousandJobsAsItPromises() {
		ShardedQueue hash = sharded(ShardedQueue.onCluster(cluster.client(), "hash" + names.incrementAndGet(), 3,
				QueueOptions.defaults(), ShardStrategy.HASH));
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			jobs.add(Job.of("t", new Email("h" + i)));
		}
		hash.enqueueAll(jobs);
		List<Long> hashed = hash.sizePerShard();
		assertThat(hashed.stream().mapToLong(Long::longValue).sum()).isEqualTo(10_000);
		// 1,000 ring points per shard keep every shard well within 15% of a third.
		assertThat(hashed).allSatisfy((size) -> assertThat(size).isBetween(2_833L, 3_833L));
		for (Job job : jobs.subList(0, 100)) {
			int shard = hash.shardFor(job);
			assertThat(hash.shards().get(shard).get(job.id())).isPresent();
			assertThat(hash.shardFor(job)).isEqualTo(shard);
		}

		ShardedQueue roundRobin = sharded(ShardedQueue.onCluster(cluster.client(), "rr" + names.incrementAndGet(), 3,
				QueueOptions.defaults(), ShardStrategy.ROUND_ROBIN));
		for (int i = 0; i < 10_000; i += 500) {
			List<Job> batch = new ArrayList<>();
			for (int k = i; k < i + 500; k++) {
				batch.add(Job.of("t", new Email("r" + k)));
			}
			roundRobin.enqueueAll(batch);
		}
		List<Long> turns = roundRobin.sizePerShard();
		assertThat(turns.stream().mapToLong(Long::longValue).max().getAsLong()
				- turns.stream().mapToLong(Long::longValue).min().getAsLong()).isLessThanOrEqualTo(1);

		String name = "ll" + names.incrementAndGet();
		// Refreshed by hand here, so that the sizes the test sets up are the ones routing sees.
		ShardedQueue leastLoaded = sharded(new ShardedQueue(ClusterPartitions.tags(cluster.client(), "jobqueue", name, 3)
			.stream()
			.map((tag) -> new RedisJobStore(cluster.client(), QueueKeys.of("jobqueue", name, tag), QueueOptions.defaults()))
			.toList(), ShardStrategy.LEAST_LOADED, Duration.ofHours(1)));
		// Shard 0 already holds 5,000 jobs: new jobs fill the others up to it first.
		List<Job> preload = new ArrayList<>();
		for (int i = 0; i < 5_000; i++) {
			preload.add(Job.of("t", new Email("p" + i)));
		}
		leastLoaded.shards().get(0).enqueueAll(preload);
		leastLoaded.refresh();
		List<Job> more = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			more.add(Job.of("t", new Email("l" + i)));
		}
		leastLoaded.enqueueAll(more);
		List<Long> loads = leastLoaded.sizePerShard();
		assertThat(loads.stream().mapToLong(Long::longValue).sum()).isEqualTo(15_000);
		assertThat(loads).allSatisfy((size) -> assertThat(size).isBetween(4_999L, 5_001L));
	}

	private Worker start(Worker.Builder builder) {
		Worker worker = builder.build().start();
		this.workers.add(worker);
		return worker;
	}

	private ShardedQueue sharded(ShardedQueue queue) {
		this.sharded.add(queue);
		return queue;
	}

}
