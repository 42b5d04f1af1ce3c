package dev.jobqueue.core.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisClusterCRC16;

import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.job.Priority;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class RedisJobQueueTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	record Email(String to, String subject) {
	}

	private RedisClient client;

	private RedisJobQueue queue;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
		this.queue = new RedisJobQueue(this.client, "emails");
	}

	@Test
	void dequeuesHigherPriorityFirstAndFifoWithinAPriority() {
		List<Job> jobs = List.of(job("low-1", Priority.LOW), job("normal-1", Priority.NORMAL),
				job("critical-1", Priority.CRITICAL), job("high-1", Priority.HIGH), job("normal-2", Priority.NORMAL),
				job("high-2", Priority.HIGH), job("low-2", Priority.LOW), job("custom-15", 15), job("normal-3", 0));
		jobs.forEach(this.queue::enqueue);

		List<String> order = new ArrayList<>();
		Optional<LeasedJob> next;
		while ((next = this.queue.dequeue(Duration.ZERO)).isPresent()) {
			order.add(next.get().id());
		}

		assertThat(order).containsExactly("critical-1", "custom-15", "high-1", "high-2", "normal-1", "normal-2",
				"normal-3", "low-1", "low-2");
	}

	@Test
	void bulkEnqueueKeepsFifoOrderAndLeasesInBatches() {
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 2_500; i++) {
			jobs.add(job("job-" + i, Priority.NORMAL));
		}
		assertThat(this.queue.enqueueAll(jobs)).allMatch(EnqueueResult::created).hasSize(2_500);
		assertThat(this.queue.size()).isEqualTo(2_500);

		LeaseBatch batch = this.queue.store().lease(100, false);

		assertThat(batch.jobs()).extracting(LeasedJob::id).first().isEqualTo("job-0");
		assertThat(batch.jobs()).extracting(LeasedJob::id).last().isEqualTo("job-99");
		assertThat(batch.jobs()).extracting(LeasedJob::token).containsOnly(batch.jobs().get(0).token());
		assertThat(this.queue.stats().active()).isEqualTo(100);
	}

	@Test
	void aBulkEnqueueOfPlainJobsAmongOthersKeepsTheirOrderAndSaysWhichWereLeftAsTheyWere() {
		List<Job> plain = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			plain.add(Job.of("send_email", new Email(i + "@example.com", "hello")));
		}
		Job urgent = job("urgent", 5);
		Job later = Job.of("send_email", new Email("later@example.com", "hello")).withDelay(Duration.ofHours(1));

		List<EnqueueResult> results = this.queue.enqueueAll(List.of(plain.get(0), plain.get(1), urgent, plain.get(2),
				later, plain.get(0), plain.get(3)));

		assertThat(results).extracting(EnqueueResult::created).containsExactly(true, true, true, true, true, false, true);
		assertThat(results.get(5)).isEqualTo(new EnqueueResult(plain.get(0).id(), false, JobState.PENDING));
		assertThat(this.queue.get(later.id()).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
		assertThat(this.queue.store().lease(10, false).jobs()).extracting(LeasedJob::id).containsExactly("urgent",
				plain.get(0).id(), plain.get(1).id(), plain.get(2).id(), plain.get(3).id());
	}

	@Test
	void anExistingIdMakesEnqueueANoOpThatSaysSo() {
		Job first = Job.of("send_email", new Email("a@example.com", "first")).withId("order-42");
		Job second = Job.of("send_email", new Email("b@example.com", "second")).withId("order-42");

		assertThat(this.queue.enqueue(first)).isEqualTo(EnqueueResult.created("order-42"));
		assertThat(this.queue.enqueue(second)).isEqualTo(new EnqueueResult("order-42", false, JobState.PENDING));

		assertThat(this.queue.size()).isEqualTo(1);
		assertThat(this.queue.get("order-42").orElseThrow().job().payloadAs(Email.class).subject()).isEqualTo("first");
	}

	@Test
	void aDelayedJobIsScheduledByRedisClockAndBecomesReadyWhenDue() {
		Job job = Job.of("send_email", new Email("a@example.com", "later")).withDelay(Duration.ofMillis(700));
		this.queue.enqueue(job);
		long redisNow = redisTimeMillis();

		JobInfo info = this.queue.get(job.id()).orElseThrow();
		assertThat(info.state()).isEqualTo(JobState.SCHEDULED);
		// The due time is Redis's clock plus the delay, not this JVM's clock.
		assertThat(info.stateAt().toEpochMilli()).isBetween(redisNow + 700 - 100, redisNow + 700 + 100);
		assertThat(this.queue.dequeue(Duration.ZERO)).isEmpty();

		LeasedJob leased = this.queue.dequeue(Duration.ofSeconds(3)).orElseThrow();
		assertThat(leased.id()).isEqualTo(job.id());
		assertThat(leased.leasedAt().toEpochMilli()).isGreaterThanOrEqualTo(info.stateAt().toEpochMilli());
	}

	@Test
	void aRunAtInThePastRunsAtOnceAndOneInTheFutureWaits() {
		Job past = Job.of("t", new Email("x", "past")).withRunAt(Instant.now().minusSeconds(60));
		Job future = Job.of("t", new Email("x", "future")).withRunAt(Instant.now().plusSeconds(3600));
		this.queue.enqueueAll(List.of(past, future));

		assertThat(this.queue.get(past.id()).orElseThrow().state()).isEqualTo(JobState.PENDING);
		assertThat(this.queue.get(future.id()).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
		assertThat(this.queue.get(future.id()).orElseThrow().stateAt()).isEqualTo(future.runAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
	}

	@Test
	void dequeueWaitsForAJobAndWakesAsSoonAsOneIsEnqueued() throws Exception {
		CompletableFuture<Optional<LeasedJob>> waiting = CompletableFuture.supplyAsync(() -> this.queue.dequeue(Duration.ofSeconds(10)));
		await().pollDelay(Duration.ofMillis(200)).until(() -> !waiting.isDone());

		long enqueuedAt = System.nanoTime();
		this.queue.enqueue(job("wake-me", Priority.NORMAL));

		assertThat(waiting.get(5, TimeUnit.SECONDS)).map(LeasedJob::id).contains("wake-me");
		assertThat(Duration.ofNanos(System.nanoTime() - enqueuedAt)).isLessThan(Duration.ofMillis(400));
	}

	@Test
	void dequeueReturnsEmptyAfterItsTimeout() {
		long start = System.nanoTime();
		assertThat(this.queue.dequeue(Duration.ofMillis(300))).isEmpty();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
	}

	@Test
	void peekShowsTheNextJobWithoutLeasingIt() {
		this.queue.enqueue(job("normal", Priority.NORMAL));
		this.queue.enqueue(job("high", Priority.HIGH));

		assertThat(this.queue.peek()).map(Job::id).contains("high");
		assertThat(this.queue.peek()).map(Job::id).contains("high");
		assertThat(this.queue.stats().active()).isZero();
		assertThat(new RedisJobQueue(this.client, "empty").peek()).isEmpty();
	}

	@Test
	void getReportsStatusAttemptsProgressAndResult() {
		Job job = Job.of("send_email", new Email("a@example.com", "hi")).withMetadata("user", "7").withMaxRetries(5);
		this.queue.enqueue(job);
		assertThat(this.queue.get(job.id()).orElseThrow().state()).isEqualTo(JobState.PENDING);

		LeasedJob leased = this.queue.dequeue(Duration.ZERO).orElseThrow();
		assertThat(leased.attempt()).isEqualTo(1);
		assertThat(leased.job().metadata()).containsEntry("user", "7");
		assertThat(leased.job().maxRetries()).isEqualTo(5);
		assertThat(this.queue.store().updateProgress(leased, 40)).isTrue();
		JobInfo active = this.queue.get(job.id()).orElseThrow();
		assertThat(active.state()).isEqualTo(JobState.ACTIVE);
		assertThat(active.progress()).isEqualTo(40);
		assertThat(active.attempts()).isEqualTo(1);

		assertThat(this.queue.settle(leased, new Outcome.Completed("{\"sent\":true}"))).isTrue();
		JobInfo completed = this.queue.get(job.id()).orElseThrow();
		assertThat(completed.state()).isEqualTo(JobState.COMPLETED);
		assertThat(completed.result()).isEqualTo("{\"sent\":true}");
		assertThat(completed.stateAt()).isNotNull();
		assertThat(this.queue.get("no-such-job")).isEmpty();
	}

	@Test
	void cancelsWaitingJobsAtOnceAndAsksTheWorkerOfARunningOneToStopIt() {
		Job pending = job("pending", Priority.NORMAL);
		Job prioritized = job("prioritized", Priority.HIGH);
		Job scheduled = job("scheduled", Priority.NORMAL).withDelay(Duration.ofHours(1));
		Job running = job("running", Priority.CRITICAL);
		this.queue.enqueueAll(List.of(pending, prioritized, scheduled, running));
		assertThat(this.queue.dequeue(Duration.ZERO)).map(LeasedJob::id).contains("running");

		assertThat(this.queue.cancel("pending")).isEqualTo(CancelResult.CANCELLED);
		assertThat(this.queue.cancel("prioritized")).isEqualTo(CancelResult.CANCELLED);
		assertThat(this.queue.cancel("scheduled")).isEqualTo(CancelResult.CANCELLED);
		assertThat(this.queue.cancel("running")).isEqualTo(CancelResult.REQUESTED);
		assertThat(this.queue.cancel("nothing")).isEqualTo(CancelResult.NOT_FOUND);

		assertThat(this.queue.get("pending").orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		assertThat(this.queue.get("running").orElseThrow()).satisfies((info) -> {
			assertThat(info.state()).isEqualTo(JobState.ACTIVE);
			assertThat(info.cancelRequested()).isTrue();
		});
		assertThat(this.queue.stats()).isEqualTo(new QueueStats(0, 0, 1, 0, 0, 0, 3, 0));
		assertThat(this.queue.dequeue(Duration.ZERO)).isEmpty();
	}

	@Test
	void statsCountEveryState() {
		this.queue.enqueueAll(List.of(job("a", 0), job("b", 5), job("c", 0).withDelay(Duration.ofHours(1))));
		LeasedJob a = this.queue.dequeue(Duration.ZERO).orElseThrow();

		assertThat(this.queue.stats()).isEqualTo(new QueueStats(1, 1, 1, 0, 0, 0, 0, 0));
		this.queue.settle(a, new Outcome.Retry(Duration.ofHours(1), new dev.jobqueue.core.job.JobError("boom", null, null, null)));
		assertThat(this.queue.stats()).isEqualTo(new QueueStats(1, 1, 0, 0, 1, 0, 0, 0));
	}

	@Test
	void everyKeyOfAQueueSharesOneClusterSlot() {
		this.queue.enqueue(job("x", 0));
		this.queue.enqueue(job("y", 5).withDelay(Duration.ofHours(1)));
		this.queue.settle(this.queue.dequeue(Duration.ZERO).orElseThrow(), new Outcome.Completed("{}"));
		this.queue.cancel("y");
		int slot = JedisClusterCRC16.getSlot(this.queue.keys().key("jobs"));
		// Nothing is written outside the queue's own slot, idempotency keys included.
		assertThat(this.client.keys("*")).hasSizeGreaterThan(3)
			.allSatisfy((key) -> assertThat(JedisClusterCRC16.getSlot(key)).isEqualTo(slot))
			.allSatisfy((key) -> assertThat(key).startsWith("jobqueue:{emails}:"));
	}

	@Test
	void scriptsAreSentAgainAfterRedisForgetsThem() {
		this.queue.enqueue(job("before", 0));
		this.client.scriptFlush();

		this.queue.enqueue(job("after", 0));

		assertThat(this.queue.size()).isEqualTo(2);
	}

	@Test
	void rejectsAJobMeantForAnotherQueue() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.queue.enqueue(job("x", 0).withQueue("reports")))
			.withMessageContaining("reports");
	}

	@Test
	void rejectsQueueNamesThatWouldBreakTheHashTag() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisJobQueue(this.client, "a}b"));
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisJobQueue(this.client, ""));
	}

	private long redisTimeMillis() {
		List<?> time = (List<?>) this.client.eval("return redis.call('TIME')");
		return Long.parseLong((String) time.get(0)) * 1000 + Long.parseLong((String) time.get(1)) / 1000;
	}

	static Job job(String id, int priority) {
		return Job.of("send_email", new Email(id + "@example.com", "hello")).withId(id).withPriority(priority);
	}

}
