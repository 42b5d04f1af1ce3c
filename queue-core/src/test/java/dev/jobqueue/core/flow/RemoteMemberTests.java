package dev.jobqueue.core.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.job.BackOff;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.CancelResult;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.RedisJobStore;
import dev.jobqueue.core.queue.Settlement;
import dev.jobqueue.core.shard.ShardStrategy;
import dev.jobqueue.core.shard.ShardedQueue;
import dev.jobqueue.core.worker.RetryPolicy;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * A flow's jobs on another queue than the flow's home: cancelling the flow reaches them, and reviving one from its
 * own queue's dead letters brings it back into its flow (FlowRelay carries both).
 */
class RemoteMemberTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private static final Duration LEASE = Duration.ofSeconds(2);

	record Step(String name) {
	}

	private final List<Worker> workers = new ArrayList<>();

	/** Job types run, with their queue and payload's name. */
	private final List<String> ran = new CopyOnWriteArrayList<>();

	/** Whether "flaky" jobs fail. */
	private final AtomicBoolean broken = new AtomicBoolean(true);

	private final CountDownLatch gate = new CountDownLatch(1);

	private final CountDownLatch blocking = new CountDownLatch(1);

	private RedisClient client;

	private RedisJobQueue home;

	private RedisJobQueue other;

	private Flows flows;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
		this.home = new RedisJobQueue(this.client, "home", QueueOptions.defaults().withLeaseDuration(LEASE));
		this.other = new RedisJobQueue(this.client, "other", QueueOptions.defaults().withLeaseDuration(LEASE));
		this.flows = new Flows(this.home);
	}

	@AfterEach
	void tearDown() {
		this.gate.countDown();
		this.workers.forEach((worker) -> worker.stop(Duration.ofSeconds(5)));
	}

	private void startWorker(RedisJobQueue queue) {
		startWorker(Worker.builder(queue), queue.name());
	}

	private void startWorker(Worker.Builder builder, String queue) {
		Worker worker = builder.concurrency(2)
			.retryPolicy(RetryPolicy.defaults().withMaxRetries(1).withBackoff(BackOff.fixed(Duration.ofMillis(100))))
			.handle("step", Step.class, (step, ctx) -> this.ran.add(queue + " step " + step.name()))
			.handle("fail", Step.class, (step, ctx) -> {
				this.ran.add(queue + " fail " + step.name());
				throw new IllegalStateException("step " + step.name() + " cannot work");
			})
			.handle("flaky", Step.class, (step, ctx) -> {
				this.ran.add(queue + " flaky " + step.name());
				if (this.broken.get()) {
					throw new IllegalStateException("flaky " + step.name() + " is broken");
				}
			})
			.handle("gate", Step.class, (step, ctx) -> this.gate.await())
			.handle("block", Step.class, (step, ctx) -> {
				this.ran.add(queue + " block " + step.name());
				this.blocking.countDown();
				try {
					while (!ctx.shouldStop()) {
						Thread.sleep(20);
					}
				}
				catch (InterruptedException ex) {
					// A cancel interrupts the handler too.
				}
				if (ctx.shouldStop()) {
					this.ran.add(queue + " block " + step.name() + " saw the cancel");
				}
				ctx.stopIfRequested();
			})
			.handle("callback", Step.class, (step, ctx) -> this.ran.add(queue + " callback " + step.name()))
			.build();
		this.workers.add(worker);
		worker.start();
	}

	@Test
	void cancellingABatchWhoseMembersWaitOnTheOtherQueueCancelsThemThereAndNoneRuns() {
		Batch batch = this.flows.batch().onComplete(Job.of("callback", new Step("complete")));
		for (int i = 1; i <= 5; i++) {
			batch.add(Job.of("step", new Step("o" + i)).withQueue("other"));
		}
		String id = batch.dispatch().id();
		assertThat(this.other.stats().pending()).isEqualTo(5);

		assertThat(this.flows.cancel(id)).isEqualTo(CancelResult.CANCELLED);

		BatchStatus cancelled = this.flows.batchStatus(id).orElseThrow();
		assertThat(cancelled.status()).isEqualTo(FlowStatus.CANCELLED);
		assertThat(cancelled.cancelled()).isEqualTo(5);
		assertThat(cancelled.pending()).isZero();
		for (int i = 1; i <= 5; i++) {
			assertThat(this.other.get(id + ":" + i).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		}
		startWorker(this.home);
		startWorker(this.other);
		this.other.enqueue(Job.of("step", new Step("after")));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.ran.contains("other step after"));
		assertThat(this.ran).containsExactly("other step after");
		assertThat(this.flows.batchStatus(id).orElseThrow().cancelled()).isEqualTo(5);
		assertThat(this.client.hlen(this.home.store().keys().key("relay"))).isZero();
		assertThat(this.client.hlen(this.other.store().keys().key("relay"))).isZero();
	}

	@Test
	void aMemberCancelledBeforeTheRelayEnqueuedItIsNeverCreatedEvenByALateCopyOfItsOutboxEntry() {
		String id = this.flows.relayOnDispatch(false).batch().add(Job.of("step", new Step("o1")).withQueue("other"))
			.add(Job.of("step", new Step("o2")).withQueue("other")).dispatch().id();
		RedisJobStore homeStore = this.home.store();
		// What a relay run that read the outbox just before the cancel would still carry.
		Map<String, String> outbox = this.client.hgetAll(homeStore.keys().key("relay"));
		assertThat(outbox).containsOnlyKeys("o:" + id + ":1", "o:" + id + ":2");

		assertThat(this.flows.cancel(id)).isEqualTo(CancelResult.CANCELLED);
		Map<String, String> cancels = this.client.hgetAll(homeStore.keys().key("relay"));
		assertThat(cancels).containsOnlyKeys("x:" + id + ":1", "x:" + id + ":2");
		assertThat(FlowRelay.relay(homeStore)).isEqualTo(2);
		// A crash before the deletes relays the cancels again.
		this.client.hset(homeStore.keys().key("relay"), cancels);
		assertThat(FlowRelay.relay(homeStore)).isEqualTo(2);
		this.client.hset(homeStore.keys().key("relay"), outbox);
		assertThat(FlowRelay.relay(homeStore)).isEqualTo(2);

		assertThat(this.other.stats().pending()).isZero();
		assertThat(this.other.get(id + ":1").orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		assertThat(this.other.get(id + ":2").orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		assertThat(this.flows.batchStatus(id).orElseThrow().cancelled()).isEqualTo(2);
		assertThat(this.client.hlen(homeStore.keys().key("relay"))).isZero();
	}

	@Test
	void cancellingAChainWhoseStepRunsOnTheOtherQueueStopsThatStepAndEnqueuesNoMore() throws Exception {
		startWorker(this.home);
		startWorker(this.other);
		String id = this.flows.chain().add("step", new Step("a")).add(Job.of("block", new Step("b")).withQueue("other"))
			.add("step", new Step("c")).dispatch().id();
		assertThat(this.blocking.await(30, TimeUnit.SECONDS)).isTrue();

		assertThat(this.flows.cancel(id)).isEqualTo(CancelResult.CANCELLED);

		assertThat(this.flows.chainStatus(id).orElseThrow().status()).isEqualTo(FlowStatus.CANCELLED);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(this.ran).contains("other block b saw the cancel");
			assertThat(this.other.get(id + ":2").orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		});
		assertThat(this.ran).containsExactly("home step a", "other block b", "other block b saw the cancel");
		ChainStatus cancelled = this.flows.chainStatus(id).orElseThrow();
		assertThat(cancelled.status()).isEqualTo(FlowStatus.CANCELLED);
		assertThat(cancelled.step()).isEqualTo(2);
		assertThat(this.home.get(id + ":3")).isEmpty();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.client.hlen(this.other.store().keys().key("relay")) == 0);
		assertThat(this.home.stats().pending() + this.home.stats().scheduled()).isZero();
	}

	@Test
	void aBatchFailingWithoutAllowFailuresCancelsItsMembersWaitingOnTheOtherQueue() {
		startWorker(this.home);
		String id = this.flows.batch().onFailure(Job.of("callback", new Step("failure")))
			.add(Job.of("step", new Step("o1")).withQueue("other")).add(Job.of("step", new Step("o2")).withQueue("other"))
			.add(Job.of("step", new Step("o3")).withQueue("other")).add("fail", new Step("h"))
			.dispatch().id();

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(this.flows.batchStatus(id).orElseThrow().status()).isEqualTo(FlowStatus.FAILED);
			for (int i = 1; i <= 3; i++) {
				assertThat(this.other.get(id + ":" + i).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
			}
		});
		BatchStatus failed = this.flows.batchStatus(id).orElseThrow();
		assertThat(failed.failed()).isEqualTo(1);
		assertThat(failed.cancelled()).isEqualTo(3);
		assertThat(failed.pending()).isZero();
		startWorker(this.other);
		this.other.enqueue(Job.of("step", new Step("after")));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.ran.contains("other step after"));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.ran.contains("home callback failure"));
		assertThat(this.ran).filteredOn((line) -> line.startsWith("other")).containsExactly("other step after");
	}

	@Test
	void aMemberDyingOnTheOtherQueueFailsItsBatchWhoseMembersWaitingOnAThirdQueueAreCancelledAtOnce() {
		RedisJobQueue third = new RedisJobQueue(this.client, "third", QueueOptions.defaults().withLeaseDuration(LEASE));
		// Only the other queue has a worker: its relay carries the death home, and the cancels that follow onward.
		startWorker(this.other);
		String id = this.flows.batch().add(Job.of("fail", new Step("o")).withQueue("other"))
			.add(Job.of("step", new Step("t1")).withQueue("third")).add(Job.of("step", new Step("t2")).withQueue("third"))
			.dispatch().id();

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(this.flows.batchStatus(id).orElseThrow().status()).isEqualTo(FlowStatus.FAILED);
			assertThat(third.get(id + ":2").orElseThrow().state()).isEqualTo(JobState.CANCELLED);
			assertThat(third.get(id + ":3").orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		});
		BatchStatus failed = this.flows.batchStatus(id).orElseThrow();
		assertThat(failed.failed()).isEqualTo(1);
		assertThat(failed.cancelled()).isEqualTo(2);
		assertThat(third.stats().pending()).isZero();
	}

	@Test
	void aMemberRevivedFromTheOtherQueuesDeadLettersRejoinsItsBatchWhichThenSucceeds() {
		startWorker(this.home);
		startWorker(this.other);
		String id = this.flows.batch().allowFailures().onSuccess(Job.of("callback", new Step("success")))
			.onFailure(Job.of("callback", new Step("failure")))
			.add(Job.of("flaky", new Step("f")).withQueue("other")).add("gate", new Step("g")).dispatch().id();
		String flaky = id + ":1";
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(this.flows.batchStatus(id).orElseThrow())
			.satisfies((status) -> assertThat(status.failed()).isEqualTo(1)));
		assertThat(this.other.get(flaky).orElseThrow().state()).isEqualTo(JobState.DEAD);

		this.broken.set(false);
		assertThat(this.other.deadLetters().retry(flaky)).isTrue();

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			BatchStatus status = this.flows.batchStatus(id).orElseThrow();
			assertThat(status.failed()).isZero();
			assertThat(status.successful()).isEqualTo(1);
			assertThat(status.pending()).isEqualTo(1);
		});
		this.gate.countDown();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(this.flows.batchStatus(id).orElseThrow().status()).isEqualTo(FlowStatus.SUCCEEDED);
			assertThat(this.ran).contains("home callback success");
		});
		assertThat(this.flows.batchStatus(id).orElseThrow().successful()).isEqualTo(2);
		assertThat(this.ran).doesNotContain("home callback failure");
	}

	@Test
	void revivingTheDeadStepOfAChainOnTheOtherQueueResumesTheChainFromThatStep() {
		startWorker(this.home);
		startWorker(this.other);
		String id = this.flows.chain().add("step", new Step("a")).add(Job.of("flaky", new Step("b")).withQueue("other"))
			.add("step", new Step("c")).dispatch().id();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(
				() -> assertThat(this.flows.chainStatus(id).orElseThrow().status()).isEqualTo(FlowStatus.FAILED));
		assertThat(this.flows.chainStatus(id).orElseThrow().failedStep()).isEqualTo(2);

		this.broken.set(false);
		assertThat(this.other.deadLetters().retry(id + ":2")).isTrue();

		await().atMost(Duration.ofSeconds(30)).untilAsserted(
				() -> assertThat(this.flows.chainStatus(id).orElseThrow().status()).isEqualTo(FlowStatus.COMPLETED));
		ChainStatus done = this.flows.chainStatus(id).orElseThrow();
		assertThat(done.failedStep()).isZero();
		assertThat(done.error()).isNull();
		assertThat(this.ran).containsSubsequence("home step a", "other flaky b", "home step c")
			.containsOnlyOnce("home step c");
	}

	@Test
	void eachLifeOfARevivedMemberCountsOnceHoweverItsRelayEntriesAreRepeatedOrReordered() {
		String id = this.flows.batch().allowFailures().add(Job.of("step", new Step("o1")).withQueue("other"))
			.add(Job.of("step", new Step("o2")).withQueue("other")).dispatch().id();
		RedisJobStore otherStore = this.other.store();
		String relay = otherStore.keys().key("relay");
		LeasedJob first = otherStore.lease(1, false).jobs().get(0);
		otherStore.settle(List.of(new Settlement(first, new Outcome.Dead(new JobError("broken", "test", "", "test")))));
		Map<String, String> death = this.client.hgetAll(relay);
		assertThat(FlowRelay.relay(otherStore)).isEqualTo(1);
		assertThat(this.flows.batchStatus(id).orElseThrow().failed()).isEqualTo(1);

		assertThat(this.other.deadLetters().retry(first.id())).isTrue();
		Map<String, String> revival = this.client.hgetAll(relay);
		LeasedJob again = otherStore.lease(2, false).jobs().stream().filter((job) -> job.id().equals(first.id()))
			.findFirst().orElseThrow();
		// Its completion overwrites the revival not relayed yet: the home takes it back and counts it in one step.
		otherStore.settle(List.of(new Settlement(again, new Outcome.Completed(null))));
		Map<String, String> completion = this.client.hgetAll(relay);
		assertThat(FlowRelay.relay(otherStore)).isEqualTo(1);
		for (Map<String, String> stale : List.of(death, revival, completion)) {
			this.client.hset(relay, stale);
			FlowRelay.relay(otherStore);
		}

		BatchStatus status = this.flows.batchStatus(id).orElseThrow();
		assertThat(status.status()).isEqualTo(FlowStatus.RUNNING);
		assertThat(status.failed()).isZero();
		assertThat(status.successful()).isEqualTo(1);
		assertThat(status.pending()).isEqualTo(1);
		assertThat(this.client.hlen(relay)).isZero();
	}

	@Test
	void outcomesOfMembersThatEndedOnTheOtherQueueJustBeforeTheirBatchWasCancelledCountOnlyAsCancelled() {
		String id = this.flows.batch().add(Job.of("step", new Step("o1")).withQueue("other"))
			.add(Job.of("step", new Step("o2")).withQueue("other")).dispatch().id();
		RedisJobStore otherStore = this.other.store();
		List<LeasedJob> leased = otherStore.lease(2, false).jobs();
		otherStore.settle(List.of(new Settlement(leased.get(0), new Outcome.Completed(null)),
				new Settlement(leased.get(1), new Outcome.Dead(new JobError("broken", "test", "", "test")))));
		Map<String, String> outcomes = this.client.hgetAll(otherStore.keys().key("relay"));
		assertThat(outcomes).hasSize(2);

		assertThat(this.flows.cancel(id)).isEqualTo(CancelResult.CANCELLED);
		assertThat(FlowRelay.relay(otherStore)).isEqualTo(2);
		// Carried again, as after a crash before their deletes.
		this.client.hset(otherStore.keys().key("relay"), outcomes);
		assertThat(FlowRelay.relay(otherStore)).isEqualTo(2);

		BatchStatus status = this.flows.batchStatus(id).orElseThrow();
		assertThat(status.status()).isEqualTo(FlowStatus.CANCELLED);
		assertThat(status.cancelled()).isEqualTo(2);
		assertThat(status.successful()).isZero();
		assertThat(status.failed()).isZero();
		assertThat(status.pending()).isZero();
		assertThat(this.other.get(leased.get(0).id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
	}

	@Test
	void aBatchWithMembersOnAShardedQueueRunsThemOnItsShardsAndCountsEachOnce() {
		ShardedQueue sharded = ShardedQueue.onServers(List.of(this.client, this.client, this.client), "sharded",
				QueueOptions.defaults().withLeaseDuration(LEASE), ShardStrategy.ROUND_ROBIN);
		try {
			startWorker(this.home);
			startWorker(Worker.builderForStores(sharded.stores()).rotateStores(true), "sharded");
			Batch batch = this.flows.batch().onSuccess(Job.of("callback", new Step("success")));
			for (int i = 1; i <= 12; i++) {
				batch.add(Job.of("step", new Step("s" + i)).withQueue("sharded"));
			}
			String id = batch.dispatch().id();

			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				assertThat(this.flows.batchStatus(id).orElseThrow().status()).isEqualTo(FlowStatus.SUCCEEDED);
				assertThat(this.ran).contains("home callback success");
			});
			assertThat(this.flows.batchStatus(id).orElseThrow().successful()).isEqualTo(12);
			assertThat(this.ran).filteredOn((line) -> line.startsWith("sharded step")).hasSize(12);
			assertThat(sharded.shards()).filteredOn((shard) -> shard.stats().completed() > 0).hasSizeGreaterThan(1);
			assertThat(sharded.get(id + ":1").orElseThrow().state()).isEqualTo(JobState.COMPLETED);
			// Nothing went to the unsharded store of that name, which no worker reads.
			assertThat(this.client.hlen(new RedisJobQueue(this.client, "sharded").store().keys().key("jobs"))).isZero();
			assertThat(this.ran).containsOnlyOnce("home callback success");
		}
		finally {
			sharded.close();
		}
	}

	@Test
	void cancellingABatchReachesItsMembersOnTheShardsOfAShardedQueue() {
		ShardedQueue sharded = ShardedQueue.onServers(List.of(this.client, this.client), "sharded",
				QueueOptions.defaults().withLeaseDuration(LEASE), ShardStrategy.HASH);
		try {
			Batch batch = this.flows.batch();
			for (int i = 1; i <= 6; i++) {
				batch.add(Job.of("step", new Step("s" + i)).withQueue("sharded"));
			}
			String id = batch.dispatch().id();
			assertThat(sharded.stats().pending()).isEqualTo(6);

			assertThat(this.flows.cancel(id)).isEqualTo(CancelResult.CANCELLED);

			assertThat(sharded.stats().pending()).isZero();
			for (int i = 1; i <= 6; i++) {
				assertThat(sharded.get(id + ":" + i).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
			}
		}
		finally {
			sharded.close();
		}
	}

	@Test
	void aWorkerThatStopsWhenItsQueueIsEmptyHasCarriedItsFlowJobsOutcomesHomeWhenItStops() {
		for (int round = 1; round <= 20; round++) {
			String id = this.flows.batch().add(Job.of("step", new Step("r" + round)).withQueue("other")).dispatch().id();
			Worker worker = Worker.builder(this.other).stopWhenEmpty(true)
				.handle("step", Step.class, (step, ctx) -> this.ran.add("other step " + step.name()))
				.build()
				.start();
			assertThat(worker.awaitTermination(Duration.ofSeconds(30))).isTrue();

			assertThat(this.flows.batchStatus(id).orElseThrow().status()).as("round " + round)
				.isEqualTo(FlowStatus.SUCCEEDED);
		}
	}

	@Test
	void aDispatchThatFailedWhileRecordingAShardedTargetsLayoutDoesNotLeaveLaterFlowsJobsWhereNoWorkerReads() {
		ShardedQueue sharded = ShardedQueue.onServers(List.of(this.client, this.client), "sharded",
				QueueOptions.defaults().withLeaseDuration(LEASE), ShardStrategy.HASH);
		try {
			// Redis refuses writes for a moment (OOM) while the first flow for that queue is dispatched.
			this.client.configSet("maxmemory", "1");
			try {
				assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> this.flows.batch()
					.add(Job.of("step", new Step("refused")).withQueue("sharded")).dispatch());
			}
			finally {
				this.client.configSet("maxmemory", "0");
			}
			String id = this.flows.batch().add(Job.of("step", new Step("s1")).withQueue("sharded"))
				.add(Job.of("step", new Step("s2")).withQueue("sharded")).dispatch().id();
			startWorker(this.home);
			startWorker(Worker.builderForStores(sharded.stores()).rotateStores(true), "sharded");

			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(this.flows.batchStatus(id).orElseThrow().status())
					.isEqualTo(FlowStatus.SUCCEEDED));
			assertThat(this.client.hlen(new RedisJobQueue(this.client, "sharded").store().keys().key("jobs"))).isZero();
		}
		finally {
			sharded.close();
		}
	}

	@Test
	void aFlowJobForAQueueShardedOverAnotherConnectionIsRefusedNamingTheQueue() {
		try (RedisClient elsewhere = RedisClient.builder().hostAndPort(redis.server().hostAndPort()).build()) {
			ShardedQueue sharded = ShardedQueue.onServers(List.of(elsewhere, elsewhere), "far", QueueOptions.defaults(),
					ShardStrategy.HASH);
			try {
				assertThatIllegalArgumentException()
					.isThrownBy(() -> this.flows.batch().add(Job.of("step", new Step("s")).withQueue("far")).dispatch())
					.withMessageContaining("Queue 'far' is sharded")
					.withMessageContaining("cannot have jobs on it");
				assertThat(this.client.hlen(this.home.store().keys().key("batches"))).isZero();
			}
			finally {
				sharded.close();
			}
		}
	}

	@Test
	void aFlowIdTheRelayWouldReadAsItsOwnEntryIsRefused() {
		for (String id : List.of("o", "x", "o:1", "x:y")) {
			assertThatIllegalArgumentException().isThrownBy(() -> this.flows.batch().id(id)).withMessageContaining(id);
			assertThatIllegalArgumentException().isThrownBy(() -> this.flows.chain().id(id)).withMessageContaining(id);
		}
		assertThat(this.flows.batch().id("ox").id()).isEqualTo("ox");
	}

}
