package dev.jobqueue.core.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.test.RedisServerExtension;
import redis.clients.jedis.RedisClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WorkerRegistryTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private RedisClient client;

	private WorkerRegistry registry;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
		this.registry = new WorkerRegistry(this.client, "jobqueue");
	}

	@Test
	void aWorkerIsListedWithWhatItReportedUntilItStops() {
		Instant started = Instant.ofEpochMilli(1_700_000_000_000L);
		this.registry.heartbeat(new WorkerInfo("w1", "host-a", 42, List.of("high", "low"), 8, 3, started, "1.0"),
				Duration.ofMinutes(1));

		List<RegisteredWorker> workers = this.registry.workers();
		assertThat(workers).singleElement().satisfies((worker) -> {
			assertThat(worker.info()).isEqualTo(new WorkerInfo("w1", "host-a", 42, List.of("high", "low"), 8, 3, started, "1.0"));
			assertThat(worker.heartbeatAge()).isLessThan(Duration.ofSeconds(30));
		});
		assertThat(this.registry.knownQueues()).containsExactly("high", "low");

		this.registry.remove("w1");
		assertThat(this.registry.workers()).isEmpty();
		assertThat(this.registry.knownQueues()).containsExactly("high", "low");
	}

	@Test
	void aWorkerThatStopsReportingDisappearsAfterItsTimeToLiveAndIsCleanedUp() {
		this.registry.heartbeat(info("crashed"), Duration.ofMillis(500));
		this.registry.heartbeat(info("alive"), Duration.ofMinutes(1));

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.registry.workers())
			.extracting((worker) -> worker.info().id()).containsExactly("alive"));
		this.registry.heartbeat(info("alive"), Duration.ofMinutes(1));
		assertThat(this.client.hkeys("jobqueue:{registry}:worker-info")).containsExactly("alive");
		assertThat(this.client.zrange("jobqueue:{registry}:workers", 0, -1)).containsExactly("alive");
	}

	@Test
	void aDamagedEntryIsListedWithWhatCanBeRead() {
		this.registry.heartbeat(info("w1"), Duration.ofMinutes(1));
		this.client.hset("jobqueue:{registry}:worker-info", "w1", "{not json");

		assertThat(this.registry.workers()).singleElement()
			.satisfies((worker) -> assertThat(worker.info().id()).isEqualTo("w1"));
	}

	@Test
	void queuesCanBeRecordedWithoutAWorker() {
		this.registry.addQueues(List.of("b", "a"));
		assertThat(this.registry.knownQueues()).containsExactly("a", "b");
	}

	@Test
	void thePauseFlagIsAKeyBesideTheQueue() {
		QueuePause pause = new QueuePause(this.client, "jobqueue");
		assertThat(pause.isPaused("emails")).isFalse();
		assertThat(pause.pause("emails")).isTrue();
		assertThat(pause.pause("emails")).isFalse();
		assertThat(this.client.exists("jobqueue:{emails}:paused")).isTrue();
		assertThat(pause.isPaused("other")).isFalse();
		assertThat(pause.resume("emails")).isTrue();
		assertThat(pause.resume("emails")).isFalse();
		assertThat(pause.isPaused("emails")).isFalse();
	}

	private static WorkerInfo info(String id) {
		return new WorkerInfo(id, "h", 1, List.of("q"), 1, 0, Instant.now(), "dev");
	}

}
