package dev.jobqueue.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.monitor.QueuePause;
import dev.jobqueue.core.monitor.ThroughputCounters;
import dev.jobqueue.core.monitor.WorkerInfo;
import dev.jobqueue.core.monitor.WorkerRegistry;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.shard.ShardStrategy;
import dev.jobqueue.core.shard.ShardedQueue;
import dev.jobqueue.test.RedisServerExtension;
import redis.clients.jedis.RedisClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line run as a separate JVM, as an operator runs it, against a real Redis. */
class JobQueueCliTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	record Result(int exitCode, String out, String err) {

		JsonNode json() {
			return JSON.readTree(this.out);
		}

	}

	private RedisClient client;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
	}

	@Test
	void statsPrintsEachQueueAsATableOrAsJson() throws Exception {
		RedisJobQueue emails = queue("emails");
		for (int i = 0; i < 3; i++) {
			emails.enqueue(Job.ofJson("noop", "{}"));
		}
		emails.enqueue(Job.ofJson("noop", "{}").withDelay(Duration.ofHours(1)));
		new WorkerRegistry(this.client, "cli").addQueues(List.of("emails", "reports"));
		new ThroughputCounters(this.client, "cli").add("emails", 7, 2);

		Result table = cli("stats");
		assertThat(table.exitCode()).isZero();
		List<String> lines = table.out().lines().toList();
		assertThat(lines.get(0)).startsWith("QUEUE").contains("PENDING", "SCHEDULED", "DEAD", "PAUSED", "PROCESSED/1H");
		assertThat(lines.get(1)).matches("[- ]+");
		assertThat(lines.get(2).split("\\s+")).containsExactly("emails", "3", "1", "0", "0", "0", "0", "0", "0", "no", "7", "2");
		assertThat(lines.get(3)).startsWith("reports");

		JsonNode json = cli("--json", "stats", "--queue", "emails").json();
		assertThat(json.get("queues")).hasSize(1);
		assertThat(json.get("queues").get(0).get("pending").asInt()).isEqualTo(3);
		assertThat(json.get("queues").get(0).get("processedLastHour").asInt()).isEqualTo(7);

		Result queues = cli("queues", "--json");
		assertThat(queues.json().get("queues")).extracting((queue) -> queue.get("queue").asString())
			.containsExactly("emails", "reports");
	}

	@Test
	void statsJobAndDeadSeeAShardedQueueAsOneWithItsShards() throws Exception {
		ShardedQueue big = ShardedQueue.onServers(List.of(this.client, this.client, this.client), "big",
				QueueOptions.defaults().withKeyPrefix("cli"), ShardStrategy.ROUND_ROBIN);
		try {
			for (int i = 0; i < 6; i++) {
				big.enqueue(Job.ofJson("noop", "{}"));
			}
			RedisJobQueue second = big.shards().get(1);
			LeasedJob leased = second.store().lease(1, false).jobs().get(0);
			second.settle(leased, new Outcome.Dead(new JobError("shard two died", "X", "", "w1")));

			JsonNode stats = cli("--json", "--shards", "big=3", "stats", "--queue", "big").json().get("queues").get(0);
			assertThat(stats.get("pending").asInt()).isEqualTo(5);
			assertThat(stats.get("dead").asInt()).isEqualTo(1);
			assertThat(stats.get("shards")).extracting((shard) -> shard.get("dead").asInt()).containsExactly(0, 1, 0);
			assertThat(cli("stats", "--shards", "big=3", "--queue", "big").out()).contains("shard 2");

			Result job = cli("job", leased.id(), "--queue", "big", "--shards", "big=3");
			assertThat(job.exitCode()).isZero();
			assertThat(job.out()).contains("dead", "shard two died");
			assertThat(cli("dead", "ls", "--queue", "big", "--shards", "big=3").out()).contains(leased.id(), "shard two died");
		}
		finally {
			big.close();
		}
	}

	@Test
	void jobShowsOneJobAndExitsWith3WhenNoQueueHoldsIt() throws Exception {
		queue("emails").enqueue(Job.ofJson("send", "{\"to\":\"ada@example.com\"}").withId("j1").withMetadata("user", "42"));

		Result shown = cli("job", "j1", "--queue", "emails");
		assertThat(shown.exitCode()).isZero();
		assertThat(shown.out()).contains("state", "pending", "send", "{\"to\":\"ada@example.com\"}", "metadata.user");
		assertThat(cli("--json", "job", "j1", "--queue", "emails").json().get("state").asString()).isEqualTo("pending");

		Result missing = cli("job", "nope", "--queue", "emails");
		assertThat(missing.exitCode()).isEqualTo(3);
		assertThat(missing.err()).contains("no queue holds a job with id 'nope'");
	}

	@Test
	void deadLettersAreListedRetriedAndPurgedOnlyWithYes() throws Exception {
		RedisJobQueue payments = queue("payments");
		for (String id : List.of("p1", "p2", "p3")) {
			payments.enqueue(Job.ofJson("charge", "{}").withId(id));
		}
		payments.store().lease(3, false).jobs().forEach((leased) -> payments.settle(leased,
				new Outcome.Dead(new JobError("card declined", "java.lang.IllegalStateException", "trace", "w1"))));

		Result list = cli("dead", "ls", "--queue", "payments");
		assertThat(list.exitCode()).isZero();
		assertThat(list.out()).contains("p1", "p2", "p3", "card declined");

		assertThat(cli("dead", "retry", "p1", "--queue", "payments").exitCode()).isZero();
		assertThat(payments.get("p1").orElseThrow().state()).isEqualTo(JobState.PENDING);
		Result unknown = cli("dead", "retry", "nope", "--queue", "payments");
		assertThat(unknown.exitCode()).isEqualTo(3);
		assertThat(cli("dead", "retry").exitCode()).isEqualTo(2);

		Result refused = cli("dead", "purge", "--queue", "payments");
		assertThat(refused.exitCode()).isEqualTo(2);
		assertThat(refused.err()).contains("deletes 2 dead job(s)", "--yes");
		assertThat(payments.deadLetters().size()).isEqualTo(2);
		Result purged = cli("--json", "dead", "purge", "--queue", "payments", "--yes");
		assertThat(purged.exitCode()).isZero();
		assertThat(purged.json().get("purged").asInt()).isEqualTo(2);
		assertThat(payments.deadLetters().size()).isZero();

		payments.store().lease(1, false).jobs()
			.forEach((leased) -> payments.settle(leased, new Outcome.Dead(new JobError("again", "X", "", "w1"))));
		assertThat(cli("dead", "retry", "--all", "--queue", "payments").out()).contains("Retried 1 dead job(s).");
	}

	@Test
	void pauseAndResumeSetAndClearTheQueuesFlag() throws Exception {
		QueuePause pause = new QueuePause(this.client, "cli");
		assertThat(cli("pause", "emails").out()).contains("Queue emails is now paused.");
		assertThat(pause.isPaused("emails")).isTrue();
		assertThat(cli("pause", "emails").out()).contains("was already paused");
		assertThat(cli("--json", "resume", "emails").json().get("changed").asBoolean()).isTrue();
		assertThat(pause.isPaused("emails")).isFalse();

		assertThat(cli("--shards", "wide=3", "pause", "wide").out()).contains("Queue wide is now paused.");
		assertThat(List.of("wide#0", "wide#1", "wide#2")).allSatisfy((shard) -> assertThat(pause.isPaused(shard)).isTrue());
		assertThat(cli("--shards", "wide=3", "resume", "wide").out()).contains("Queue wide is now running.");
		assertThat(List.of("wide#0", "wide#1", "wide#2")).allSatisfy((shard) -> assertThat(pause.isPaused(shard)).isFalse());
	}

	@Test
	void workersListsTheRegisteredWorkers() throws Exception {
		new WorkerRegistry(this.client, "cli").heartbeat(new WorkerInfo("w-42", "box", 42, List.of("high", "low"), 8, 3,
				Instant.now(), "1.0"), Duration.ofMinutes(1));

		Result table = cli("workers");
		assertThat(table.out()).contains("w-42", "box", "high,low");
		JsonNode json = cli("--json", "workers").json();
		assertThat(json.get("workers").get(0).get("busy").asInt()).isEqualTo(3);
	}

	@Test
	void workRunsTheBuiltInJobTypesUntilTheQueuesAreEmpty() throws Exception {
		RedisJobQueue high = queue("high");
		RedisJobQueue low = queue("low");
		for (int i = 0; i < 4; i++) {
			high.enqueue(Job.ofJson("echo", "{\"n\":" + i + "}").withId("e" + i));
			low.enqueue(Job.ofJson("noop", "{}"));
		}
		low.enqueue(Job.ofJson("sleep", "{\"ms\":50}"));

		Result run = cli("--json", "work", "--queue=high,low", "--concurrency", "2", "--stop-when-empty");
		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(run.json().get("completed").asInt()).isEqualTo(9);
		assertThat(high.get("e2").orElseThrow().result()).isEqualTo("{\"n\":2}");
		assertThat(low.stats().completed()).isEqualTo(5);
		assertThat(new WorkerRegistry(this.client, "cli").workers()).isEmpty();
		long processed = new ThroughputCounters(this.client, "cli").lastHour("high").stream()
			.mapToLong((minute) -> minute.processed()).sum();
		assertThat(processed).isEqualTo(4);
	}

	@Test
	void workStopsAfterMaxJobsAndLeavesPausedQueuesAlone() throws Exception {
		RedisJobQueue bulk = queue("bulk");
		for (int i = 0; i < 5; i++) {
			bulk.enqueue(Job.ofJson("noop", "{}"));
		}
		Result run = cli("work", "--queue=bulk", "--concurrency", "1", "--max-jobs", "2");
		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(run.out()).contains("2 job(s) completed");
		assertThat(bulk.stats().pending()).isEqualTo(3);

		new QueuePause(this.client, "cli").pause("bulk");
		Result paused = cli("work", "--queue=bulk", "--stop-when-empty");
		assertThat(paused.exitCode()).isZero();
		assertThat(paused.err()).contains("queue bulk is paused");
		assertThat(bulk.stats().pending()).isEqualTo(3);
	}

	@Test
	void badUsageExitsWith2AndAnUnreachableRedisWith1() throws Exception {
		assertThat(cli("frobnicate").exitCode()).isEqualTo(2);
		Result badUri = run(List.of("--redis", "http://localhost:1", "stats"));
		assertThat(badUri.exitCode()).isEqualTo(2);
		assertThat(badUri.err()).contains("redis:// or rediss://");
		Result down = run(List.of("--redis", "redis://127.0.0.1:" + unusedPort(), "stats", "--queue", "q"));
		assertThat(down.exitCode()).isEqualTo(1);
		assertThat(down.err()).contains("jobqueue:");
	}

	private RedisJobQueue queue(String name) {
		return new RedisJobQueue(this.client, name, QueueOptions.defaults().withKeyPrefix("cli"));
	}

	private Result cli(String... args) throws IOException, InterruptedException {
		List<String> all = new ArrayList<>(List.of("--redis", "redis://127.0.0.1:" + redis.server().port(), "--prefix", "cli"));
		all.addAll(List.of(args));
		return run(all);
	}

	/** Runs the command line's main class in a new JVM, as the runnable jar does. */
	private static Result run(List<String> args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add("-XX:TieredStopAtLevel=1");
		command.add(JobQueueCli.class.getName());
		command.addAll(args);
		Path err = Files.createTempFile("jobqueue-cli", ".err");
		Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("jobqueue " + args + " did not finish");
		}
		String errors = Files.readString(err);
		Files.delete(err);
		return new Result(process.exitValue(), out, errors);
	}

	private static int unusedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
