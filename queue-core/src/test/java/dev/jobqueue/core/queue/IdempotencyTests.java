package dev.jobqueue.core.queue;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.test.RedisServerExtension;

import static dev.jobqueue.core.queue.RedisJobQueueTests.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A caller-chosen id is an idempotency key with a lifetime of its own, whatever retention keeps. */
class IdempotencyTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
	}

	@Test
	void anIdDispatchedAgainAfterItsJobWasForgottenCreatesNothing() {
		RedisJobQueue queue = new RedisJobQueue(redis.server().client(), "orders",
				QueueOptions.defaults().withCompletedRetention(Retention.NONE));
		assertThat(queue.enqueue(job("order-1", 0)).created()).isTrue();
		queue.settle(queue.dequeue(Duration.ZERO).orElseThrow(), new Outcome.Completed(null));
		assertThat(queue.get("order-1")).as("retention forgot the job").isEmpty();

		EnqueueResult again = queue.enqueue(job("order-1", 0));

		assertThat(again).isEqualTo(new EnqueueResult("order-1", false, null));
		assertThat(queue.size()).isZero();
	}

	@Test
	void anIdDispatchedOntoADeadJobSaysItIsDead() {
		RedisJobQueue queue = new RedisJobQueue(redis.server().client(), "orders");
		queue.enqueue(job("order-2", 0));
		queue.settle(queue.dequeue(Duration.ZERO).orElseThrow(), new Outcome.Dead(new JobError("boom", null, null, null)));

		assertThat(queue.enqueue(job("order-2", 0))).isEqualTo(new EnqueueResult("order-2", false, JobState.DEAD));
	}

	@Test
	void theIdIsFreeAgainOnceTheWindowHasPassed() {
		RedisJobQueue queue = new RedisJobQueue(redis.server().client(), "orders", QueueOptions.defaults()
			.withCompletedRetention(Retention.NONE).withIdempotencyWindow(Duration.ofSeconds(2)));
		queue.enqueue(job("order-3", 0));
		queue.settle(queue.dequeue(Duration.ZERO).orElseThrow(), new Outcome.Completed(null));
		assertThat(queue.enqueue(job("order-3", 0)).created()).isFalse();

		await().atMost(Duration.ofSeconds(30)).until(() -> queue.enqueue(job("order-3", 0)).created());
		assertThat(queue.size()).isEqualTo(1);
	}

	@Test
	void generatedIdsCostNoIdempotencyKey() {
		RedisJobQueue queue = new RedisJobQueue(redis.server().client(), "orders");
		queue.enqueue(Job.ofJson("charge", "{}"));
		queue.enqueue(job("keyed", 0));

		assertThat(redis.server().client().keys("*idem:*")).containsExactly(queue.keys().idempotencyKey("keyed"));
	}

}
