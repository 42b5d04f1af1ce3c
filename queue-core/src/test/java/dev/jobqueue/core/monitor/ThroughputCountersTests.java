package dev.jobqueue.core.monitor;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.worker.NonRetryableJobException;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.RedisServerExtension;
import redis.clients.jedis.RedisClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ThroughputCountersTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private RedisClient client;

	private ThroughputCounters counters;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
		this.counters = new ThroughputCounters(this.client, "jobqueue");
	}

	@Test
	void countsAddUpInTheCurrentMinuteOfAnHourLongSeries() {
		this.counters.add("emails", 3, 1);
		this.counters.add("emails", 2, 0);

		List<MinuteCount> hour = this.counters.lastHour("emails");
		assertThat(hour).hasSize(60);
		assertThat(hour.get(59).processed() + hour.get(58).processed()).isEqualTo(5);
		assertThat(hour.stream().mapToLong(MinuteCount::failed).sum()).isEqualTo(1);
		assertThat(hour.get(0).minute()).isEqualTo(hour.get(59).minute().minus(Duration.ofMinutes(59)));
		assertThat(this.counters.lastHour("other")).allSatisfy((minute) -> assertThat(minute.processed()).isZero());
	}

	@Test
	void aSlotLeftFromAnEarlierHourIsNotCountedAndTheKeyIsBoundedAndExpires() {
		this.counters.add("emails", 1, 0);
		String key = "jobqueue:{emails}:throughput";
		String slot = this.client.hkeys(key).iterator().next();
		String[] stored = this.client.hget(key, slot).split(" ");
		// The same slot an hour ago: must not show up as this minute's count.
		this.client.hset(key, slot, (Long.parseLong(stored[0]) - 60) + " 100 100");

		assertThat(this.counters.lastHour("emails").stream().mapToLong(MinuteCount::processed).sum()).isZero();
		this.counters.add("emails", 1, 0);
		assertThat(this.client.hget(key, slot)).isEqualTo(stored[0] + " 1 0");
		assertThat(this.client.ttl(key)).isPositive();
	}

	@Test
	void theRecorderCountsAWorkersCompletionsAndFailuresPerQueue() {
		RedisJobQueue queue = new RedisJobQueue(this.client, "work");
		for (int i = 0; i < 5; i++) {
			queue.enqueue(Job.ofJson("ok", "{}"));
		}
		queue.enqueue(Job.ofJson("bad", "{}"));
		try (QueueMetricsRecorder recorder = new QueueMetricsRecorder(this.counters).start(Duration.ofMillis(200));
				Worker worker = Worker.builder(queue).listener(recorder).handle("ok", Object.class, (payload, ctx) -> {
				}).handle("bad", Object.class, (payload, ctx) -> {
					throw new NonRetryableJobException("no");
				}).build().start()) {
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				List<MinuteCount> hour = this.counters.lastHour("work");
				assertThat(hour.stream().mapToLong(MinuteCount::processed).sum()).isEqualTo(5);
				assertThat(hour.stream().mapToLong(MinuteCount::failed).sum()).isEqualTo(1);
			});
		}
	}

}
