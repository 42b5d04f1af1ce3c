package dev.jobqueue.core.queue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.test.RedisServerExtension;

import static dev.jobqueue.core.queue.RedisJobQueueTests.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RetentionTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private RedisClient client;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
	}

	@Test
	void completedJobsAreKeptUpToTheCountLimit() {
		RedisJobQueue queue = queue(new Retention(3, Duration.ofDays(1)));
		complete(queue, 10);

		assertThat(queue.stats().completed()).isEqualTo(3);
		assertThat(queue.get("j9").orElseThrow().state()).isEqualTo(JobState.COMPLETED);
		assertThat(queue.get("j0")).isEmpty();
		assertThat(this.client.hlen(queue.keys().key("jobs"))).isEqualTo(3);
		assertThat(this.client.hlen(queue.keys().key("results"))).isEqualTo(3);
	}

	@Test
	void completedJobsOlderThanTheAgeLimitAreRemoved() {
		RedisJobQueue queue = queue(new Retention(1_000, Duration.ofSeconds(2)));
		complete(queue, 5);
		long finishedAt = queue.get("j4").orElseThrow().stateAt().toEpochMilli();
		await().atMost(Duration.ofSeconds(30)).until(() -> redis.server().timeMillis() > finishedAt + 2_000);

		// Completing a job applies the retention in the same script: the new job is kept, the old ones go.
		queue.enqueue(job("new", 0));
		assertThat(queue.settle(queue.dequeue(Duration.ZERO).orElseThrow(), new Outcome.Completed(null))).isTrue();

		assertThat(queue.stats().completed()).isEqualTo(1);
		assertThat(queue.get("new").orElseThrow().state()).isEqualTo(JobState.COMPLETED);
		assertThat(this.client.hlen(queue.keys().key("jobs"))).isEqualTo(1);
	}

	@Test
	void withNoRetentionACompletedJobLeavesNothingBehind() {
		RedisJobQueue queue = queue(Retention.NONE);
		complete(queue, 10);

		assertThat(queue.get("j0")).isEmpty();
		for (String part : List.of("jobs", "attempts", "leases", "results", "ready", "active", "completed")) {
			assertThat(this.client.exists(queue.keys().key(part))).as(part).isFalse();
		}
	}

	@Test
	void cancelledJobsFollowTheCompletedRetention() {
		RedisJobQueue queue = queue(new Retention(2, Duration.ofDays(1)));
		for (int i = 0; i < 5; i++) {
			queue.enqueue(job("c" + i, 0));
			queue.cancel("c" + i);
		}
		assertThat(queue.stats().cancelled()).isEqualTo(2);
		assertThat(queue.get("c0")).isEmpty();
	}

	private RedisJobQueue queue(Retention completed) {
		return new RedisJobQueue(this.client, "kept", QueueOptions.defaults().withCompletedRetention(completed));
	}

	private void complete(RedisJobQueue queue, int count) {
		for (int i = 0; i < count; i++) {
			queue.enqueue(job("j" + i, 0));
			LeasedJob leased = queue.dequeue(Duration.ZERO).orElseThrow();
			assertThat(queue.settle(leased, new Outcome.Completed("{\"n\":" + i + "}"))).isTrue();
		}
	}

}
