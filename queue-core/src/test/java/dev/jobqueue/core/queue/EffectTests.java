package dev.jobqueue.core.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.test.RedisServerExtension;

import static dev.jobqueue.core.queue.RedisJobQueueTests.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Declared side effects run in the same script as the step they ride on, and only when it takes place. */
class EffectTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private RedisClient client;

	private RedisJobQueue queue;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
		this.queue = new RedisJobQueue(this.client, "flows");
	}

	@Test
	void enqueueEffectsApplyOnlyWhenTheJobIsCreated() {
		String counter = this.queue.keys().custom("created");
		Enqueue first = new Enqueue(job("a", 0), List.of(Effect.increment(counter, 1),
				Effect.hashPut(this.queue.keys().custom("index"), "a", "1"),
				Effect.streamAppend(this.queue.keys().custom("audit"), 100, Map.of("event", "created", "id", "a"))));

		this.queue.store().enqueue(List.of(first));
		this.queue.store().enqueue(List.of(first));

		assertThat(this.client.get(counter)).isEqualTo("1");
		assertThat(this.client.hget(this.queue.keys().custom("index"), "a")).isEqualTo("1");
		assertThat(this.client.xlen(this.queue.keys().custom("audit"))).isEqualTo(1);
	}

	@Test
	void settleEffectsApplyOnlyBehindAHeldLease() {
		String done = this.queue.keys().custom("done");
		this.queue.enqueue(job("b", 0));
		LeasedJob leased = this.queue.dequeue(Duration.ZERO).orElseThrow();
		Settlement settlement = new Settlement(leased, new Outcome.Completed(null),
				List.of(Effect.put(done, "b", Duration.ofMinutes(1), false)));

		assertThat(this.queue.store().settle(List.of(settlement)).settled()).containsExactly(true);
		this.client.del(done);
		assertThat(this.queue.store().settle(List.of(settlement)).settled()).containsExactly(false);

		assertThat(this.client.exists(done)).isFalse();
	}

	@Test
	void aCountdownEnqueuesItsJobOnceWhenItReachesZero() {
		String pending = this.queue.keys().custom("batch:1");
		this.client.set(pending, "2");
		Job callback = Job.ofJson("batch_done", "{\"batch\":1}").withId("batch:1:done");
		this.queue.enqueueAll(List.of(job("m1", 0), job("m2", 0)));
		LeasedJob m1 = this.queue.dequeue(Duration.ZERO).orElseThrow();
		LeasedJob m2 = this.queue.dequeue(Duration.ZERO).orElseThrow();

		this.queue.store().settle(List.of(new Settlement(m1, new Outcome.Completed(null),
				List.of(Effect.countdownEnqueue(pending, callback)))));
		assertThat(this.queue.get("batch:1:done")).isEmpty();
		this.queue.store().settle(List.of(new Settlement(m2, new Outcome.Completed(null),
				List.of(Effect.countdownEnqueue(pending, callback)))));

		assertThat(this.queue.dequeue(Duration.ZERO)).map(LeasedJob::id).contains("batch:1:done");
	}

	@Test
	void anEffectKeyOutsideTheStoresSlotIsRefusedAndNothingIsWritten() {
		Enqueue stray = new Enqueue(job("c", 0), List.of(Effect.increment("elsewhere:{other}:count", 1)));

		assertThatIllegalArgumentException().isThrownBy(() -> this.queue.store().enqueue(List.of(stray)))
			.withMessageContaining("does not carry the hash tag {flows}");
		assertThat(this.queue.get("c")).isEmpty();
	}

}
