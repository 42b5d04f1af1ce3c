package dev.jobqueue.core.flow;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.EnqueueResult;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Flows against worker JVMs that race each other or are killed with SIGKILL. */
class FlowCrashTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private static final Duration LEASE = Duration.ofSeconds(2);

	private final List<Process> nodes = new ArrayList<>();

	private final List<Worker> workers = new ArrayList<>();

	private RedisClient client;

	private RedisJobQueue queue;

	private Flows flows;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
		this.queue = new RedisJobQueue(this.client, "crash", QueueOptions.defaults().withLeaseDuration(LEASE));
		this.flows = new Flows(this.queue);
	}

	@AfterEach
	void tearDown() throws Exception {
		this.workers.forEach((worker) -> worker.stop(Duration.ofSeconds(5)));
		for (Process node : this.nodes) {
			node.destroyForcibly();
			node.waitFor(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void callbacksFireOnceWhenTwoWorkerJvmsSettleTheLastTwoJobsTogether() throws Exception {
		startNode(1, true);
		startNode(1, true);
		List<String> batches = new ArrayList<>();
		for (int round = 0; round < 10; round++) {
			Batch batch = this.flows.batch();
			String barrier = "test:barrier:" + round;
			batch.add(Job.of("member", new FlowNodeMain.Member("r" + round + "a", barrier, 2)))
				.add(Job.of("member", new FlowNodeMain.Member("r" + round + "b", barrier, 2)))
				.onSuccess(Job.of("callback", new FlowNodeMain.Member(batch.id(), null, 0)))
				.onComplete(Job.of("callback", new FlowNodeMain.Member(batch.id() + "-complete", null, 0)));
			batches.add(batch.dispatch().id());
		}

		for (String id : batches) {
			await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
				assertThat(this.client.get("test:callbacks:" + id)).isEqualTo("1");
				assertThat(this.client.get("test:callbacks:" + id + "-complete")).isEqualTo("1");
			});
			assertThat(this.flows.batchStatus(id).orElseThrow().successful()).isEqualTo(2);
		}
		// Given time to show up, no callback ran twice.
		Thread.sleep(1_000);
		for (String id : batches) {
			assertThat(this.client.get("test:callbacks:" + id)).isEqualTo("1");
		}
	}

	@Test
	void callbacksFireOnceWhenTheWorkerIsKilledRightAfterTheLastCompletion() throws Exception {
		for (int round = 0; round < 3; round++) {
			this.client.del("test:ran", "test:up");
			Process node = startNode(4, false);
			Batch batch = this.flows.batch().onSuccess(Job.of("callback", new FlowNodeMain.Member("ok", null, 0)));
			for (int i = 0; i < 20; i++) {
				batch.add(Job.of("member", new FlowNodeMain.Member("m" + i, null, 0)));
			}
			String id = batch.dispatch().id();
			await().atMost(Duration.ofSeconds(90)).until(() -> this.client.llen("test:ran") >= 20);
			// The last member's handler returned: its outcome may or may not be written yet.
			node.destroyForcibly();
			node.waitFor(30, TimeUnit.SECONDS);

			AtomicInteger callbacks = new AtomicInteger();
			Worker worker = Worker.builder(this.queue)
				.handle("member", FlowNodeMain.Member.class, (member, ctx) -> this.client.rpush("test:ran", member.name()))
				.handle("callback", FlowNodeMain.Member.class, (member, ctx) -> callbacks.incrementAndGet())
				.build()
				.start();
			try {
				await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
					assertThat(this.flows.batchStatus(id).orElseThrow().status()).isEqualTo(FlowStatus.SUCCEEDED);
					assertThat(callbacks).hasValue(1);
					assertThat(this.queue.get(id + ":on_success").orElseThrow().state()).isEqualTo(JobState.COMPLETED);
				});
				assertThat(this.flows.batchStatus(id).orElseThrow().successful()).isEqualTo(20);
				Thread.sleep(1_000);
				assertThat(callbacks).hasValue(1);
			}
			finally {
				worker.stop(Duration.ofSeconds(5));
			}
		}
	}

	@Test
	void aUniqueKeyHeldByTheJobOfAKilledWorkerIsReleasedOnceThatJobFinishesElsewhere() throws Exception {
		Process node = startNode(1, false);
		EnqueueResult first = this.flows.enqueueUnique(Job.of("block", new FlowNodeMain.Member("held", null, 0)), "invoice:7");
		await().atMost(Duration.ofSeconds(90)).until(() -> this.client.llen("test:ran") >= 1);
		node.destroyForcibly();
		node.waitFor(30, TimeUnit.SECONDS);

		EnqueueResult second = this.flows.enqueueUnique(Job.of("block", new FlowNodeMain.Member("again", null, 0)), "invoice:7");
		assertThat(second.created()).isFalse();
		assertThat(second.id()).isEqualTo(first.id());

		Worker worker = Worker.builder(this.queue).handle("block", FlowNodeMain.Member.class, (member, ctx) -> {
		}).build().start();
		this.workers.add(worker);
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(this.queue.get(first.id()).orElseThrow()
			.state()).isEqualTo(JobState.COMPLETED));
		assertThat(this.flows.uniqueHolder("invoice:7")).isEmpty();
		assertThat(this.flows.enqueueUnique(Job.of("block", new FlowNodeMain.Member("third", null, 0)), "invoice:7")
			.created()).isTrue();
	}

	private Process startNode(int concurrency, boolean callbacks) throws Exception {
		long up = this.client.llen("test:up");
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), FlowNodeMain.class.getName(),
				String.valueOf(redis.server().port()), "crash", String.valueOf(LEASE.toMillis()), String.valueOf(concurrency),
				callbacks ? "yes" : "no");
		File log = File.createTempFile("flow-node", ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
		this.nodes.add(process);
		await().atMost(Duration.ofSeconds(90)).until(() -> this.client.llen("test:up") > up);
		return process;
	}

}
