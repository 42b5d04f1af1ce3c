package dev.jobqueue.core.flow;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.job.BackOff;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.RedisJobStore;
import dev.jobqueue.core.queue.Settlement;
import dev.jobqueue.core.worker.RetryPolicy;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Batches and chains whose jobs run on several queues: the relay between the queues' stores (FlowRelay). */
class CrossQueueFlowTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private static final Duration LEASE = Duration.ofSeconds(2);

	record Step(String name) {
	}

	record Total(int value) {
	}

	private final List<Worker> workers = new ArrayList<>();

	private final List<Process> nodes = new ArrayList<>();

	/** Job types run, in order, with their payload's name. */
	private final List<String> ran = new CopyOnWriteArrayList<>();

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
	void tearDown() throws Exception {
		this.workers.forEach((worker) -> worker.stop(Duration.ofSeconds(5)));
		for (Process node : this.nodes) {
			node.destroyForcibly();
			node.waitFor(30, TimeUnit.SECONDS);
		}
	}

	/** One worker per queue, as two deployments would run them. */
	private void startWorkers() {
		for (RedisJobQueue queue : List.of(this.home, this.other)) {
			Worker worker = Worker.builder(queue).concurrency(2)
				.retryPolicy(RetryPolicy.defaults().withMaxRetries(1).withBackoff(BackOff.fixed(Duration.ofMillis(100))))
				.handleWithResult("add", Total.class, (total, ctx) -> {
					this.ran.add(queue.name() + " add " + total.value());
					return new Total(ctx.previousResult(Total.class).map(Total::value).orElse(0) + total.value());
				})
				.handle("step", Step.class, (step, ctx) -> this.ran.add(queue.name() + " step " + step.name()))
				.handle("fail", Step.class, (step, ctx) -> {
					this.ran.add(queue.name() + " fail " + step.name());
					throw new IllegalStateException("step " + step.name() + " cannot work");
				})
				.handle("callback", Step.class, (step, ctx) -> this.ran.add(queue.name() + " callback " + step.name()))
				.build();
			this.workers.add(worker);
			worker.start();
		}
	}

	@Test
	void aBatchOverTwoQueuesFiresOnSuccessAndOnCompleteOnceWithExactCounts() throws Exception {
		startWorkers();
		Batch batch = this.flows.batch().onSuccess(Job.of("callback", new Step("success")))
			.onFailure(Job.of("callback", new Step("failure"))).onComplete(Job.of("callback", new Step("complete")));
		for (int i = 0; i < 10; i++) {
			batch.add(Job.of("step", new Step("h" + i)));
			batch.add(Job.of("step", new Step("o" + i)).withQueue("other"));
		}
		String id = batch.dispatch().id();

		BatchStatus done = awaitBatch(id, FlowStatus.SUCCEEDED);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.ran.contains("home callback complete"));

		assertThat(done.successful()).isEqualTo(20);
		assertThat(done.pending()).isZero();
		assertThat(done.failed()).isZero();
		assertThat(this.ran).filteredOn((line) -> line.startsWith("other step o")).hasSize(10);
		assertThat(this.ran).filteredOn((line) -> line.startsWith("home step h")).hasSize(10);
		Thread.sleep(1_000);
		assertThat(this.ran).containsOnlyOnce("home callback success", "home callback complete")
			.doesNotContain("home callback failure");
		assertThat(this.client.hlen(this.other.store().keys().key("relay"))).isZero();
		assertThat(this.client.hlen(this.home.store().keys().key("relay"))).isZero();
	}

	@Test
	void anAllowFailuresBatchWhoseMemberDiesOnTheOtherQueueFiresOnFailureOnce() throws Exception {
		startWorkers();
		String id = this.flows.batch().allowFailures().onSuccess(Job.of("callback", new Step("success")))
			.onFailure(Job.of("callback", new Step("failure"))).onComplete(Job.of("callback", new Step("complete")))
			.add("step", new Step("h1")).add("step", new Step("h2"))
			.add(Job.of("step", new Step("o1")).withQueue("other")).add(Job.of("fail", new Step("o2")).withQueue("other"))
			.dispatch().id();

		BatchStatus done = awaitBatch(id, FlowStatus.FAILED);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.ran.contains("home callback complete"));

		assertThat(done.successful()).isEqualTo(3);
		assertThat(done.failed()).isEqualTo(1);
		assertThat(done.pending()).isZero();
		assertThat(this.other.get(id + ":4").orElseThrow().state()).isEqualTo(JobState.DEAD);
		Thread.sleep(1_000);
		assertThat(this.ran).containsOnlyOnce("home callback failure", "home callback complete")
			.doesNotContain("home callback success");
	}

	@Test
	void aChainHopsFromQueueToQueueAndEachStepReadsTheResultOfTheOneBefore() {
		startWorkers();
		String id = this.flows.chain().add("add", new Total(1)).add(Job.of("add", new Total(2)).withQueue("other"))
			.add("add", new Total(3)).dispatch().id();

		ChainStatus done = awaitChain(id, FlowStatus.COMPLETED);

		assertThat(this.ran).containsExactly("home add 1", "other add 2", "home add 3");
		assertThat(this.flows.stepResult(id, 2)).contains("{\"value\":3}");
		assertThat(this.home.get(done.jobIds().get(2)).orElseThrow().result()).isEqualTo("{\"value\":6}");
		assertThat(this.other.get(done.jobIds().get(1)).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
	}

	@Test
	void aRelayEntryAppliedTwiceCountsOnceAndAJobRelayedTwiceIsEnqueuedOnce() throws Exception {
		String id = this.flows.relayOnDispatch(false).keepFinished(Duration.ofMillis(1)).batch()
			.onSuccess(Job.of("callback", new Step("success")))
			.add(Job.of("step", new Step("o1")).withQueue("other")).add(Job.of("step", new Step("o2")).withQueue("other"))
			.dispatch().id();
		RedisJobStore homeStore = this.home.store();
		RedisJobStore otherStore = this.other.store();
		// The home store owes the other queue its two members; a crash before the delete relays them again.
		Map<String, String> outbox = this.client.hgetAll(homeStore.keys().key("relay"));
		assertThat(outbox).hasSize(2);
		assertThat(FlowRelay.relay(homeStore)).isEqualTo(2);
		this.client.hset(homeStore.keys().key("relay"), outbox);
		assertThat(FlowRelay.relay(homeStore)).isEqualTo(2);
		assertThat(this.other.stats().pending()).isEqualTo(2);

		List<LeasedJob> leased = otherStore.lease(1, false).jobs();
		otherStore.settle(List.of(new Settlement(leased.get(0), new Outcome.Completed(null))));
		Map<String, String> outcome = this.client.hgetAll(otherStore.keys().key("relay"));
		assertThat(outcome).containsOnlyKeys(leased.get(0).id());
		assertThat(FlowRelay.relay(otherStore)).isEqualTo(1);
		this.client.hset(otherStore.keys().key("relay"), outcome);
		assertThat(FlowRelay.relay(otherStore)).isEqualTo(1);

		BatchStatus running = this.flows.batchStatus(id).orElseThrow();
		assertThat(running.status()).isEqualTo(FlowStatus.RUNNING);
		assertThat(running.pending()).isEqualTo(1);
		assertThat(running.successful()).isEqualTo(1);

		leased = otherStore.lease(1, false).jobs();
		otherStore.settle(List.of(new Settlement(leased.get(0), new Outcome.Completed(null))));
		outcome = this.client.hgetAll(otherStore.keys().key("relay"));
		FlowRelay.relay(otherStore);
		this.client.hset(otherStore.keys().key("relay"), outcome);
		FlowRelay.relay(otherStore);

		BatchStatus done = this.flows.batchStatus(id).orElseThrow();
		assertThat(done.status()).isEqualTo(FlowStatus.SUCCEEDED);
		assertThat(done.successful()).isEqualTo(2);
		assertThat(done.pending()).isZero();
		assertThat(this.home.stats().pending()).isEqualTo(1);
		assertThat(this.home.get(id + ":on_success")).isPresent();
		assertThat(this.client.hlen(otherStore.keys().key("relay"))).isZero();

		// Its record, relay marks included, leaves when another flow ends after the batch's keep time.
		assertThat(this.client.hkeys(homeStore.keys().key("batches"))).anyMatch((name) -> name.startsWith(id + ":r:"));
		Thread.sleep(10);
		this.flows.batch().dispatch();
		assertThat(this.client.hkeys(homeStore.keys().key("batches"))).noneMatch((name) -> name.startsWith(id + ":"));
	}

	@Test
	void aBatchCompletesOnceWhenTheOtherQueuesWorkerIsKilledRightAfterItsMembersSettle() throws Exception {
		Process node = startNode();
		Batch batch = this.flows.batch().onSuccess(Job.of("callback", new FlowNodeMain.Member("ok", null, 0)));
		for (int i = 0; i < 10; i++) {
			batch.add(Job.of("member", new FlowNodeMain.Member("m" + i, null, 0)).withQueue("other"));
		}
		// The node's worker serves only the other queue: this one relays the members there.
		Worker relayOnly = Worker.builder(this.home).handle("none", Step.class, (step, ctx) -> {
		}).build();
		this.workers.add(relayOnly);
		relayOnly.start();
		String id = batch.dispatch().id();
		// Killed as soon as a member's outcome waits in the other queue's relay (the node relays right after each
		// settle, so this is often missed) or a member has completed there; other members may still run, or have
		// settled and been relayed, or not.
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2))
			.until(() -> this.client.hlen(this.other.store().keys().key("relay")) > 0
					|| this.other.stats().completed() + this.client.llen("test:ran") > 0);
		node.destroyForcibly();
		node.waitFor(30, TimeUnit.SECONDS);
		relayOnly.stop(Duration.ofSeconds(5));

		List<String> callbacks = new CopyOnWriteArrayList<>();
		Worker worker = Worker.builder(this.home, this.other)
			.handle("member", FlowNodeMain.Member.class, (member, ctx) -> this.client.rpush("test:ran", member.name()))
			.handle("callback", FlowNodeMain.Member.class, (member, ctx) -> callbacks.add(member.name()))
			.build();
		this.workers.add(worker);
		worker.start();

		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			assertThat(this.flows.batchStatus(id).orElseThrow().status()).isEqualTo(FlowStatus.SUCCEEDED);
			assertThat(callbacks).hasSize(1);
		});
		assertThat(this.flows.batchStatus(id).orElseThrow().successful()).isEqualTo(10);
		Thread.sleep(1_000);
		assertThat(callbacks).containsExactly("ok");
	}

	private Process startNode() throws Exception {
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), FlowNodeMain.class.getName(),
				String.valueOf(redis.server().port()), "other", String.valueOf(LEASE.toMillis()), "4", "no");
		File log = File.createTempFile("flow-node", ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
		this.nodes.add(process);
		await().atMost(Duration.ofSeconds(90)).until(() -> this.client.llen("test:up") > 0);
		return process;
	}

	private ChainStatus awaitChain(String id, FlowStatus status) {
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(this.flows.chainStatus(id))
			.hasValueSatisfying((chain) -> assertThat(chain.status()).isEqualTo(status)));
		return this.flows.chainStatus(id).orElseThrow();
	}

	private BatchStatus awaitBatch(String id, FlowStatus status) {
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(this.flows.batchStatus(id))
			.hasValueSatisfying((batch) -> assertThat(batch.status()).isEqualTo(status)));
		return this.flows.batchStatus(id).orElseThrow();
	}

}
