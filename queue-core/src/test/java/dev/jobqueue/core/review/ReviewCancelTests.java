package dev.jobqueue.core.review;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.job.BackOff;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.CancelResult;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Review of issue 8: a cancel that returned {@code REQUESTED} must end the job cancelled however its running
 * attempt ends before the worker's next heartbeat sees the request (handler failure, graceful hand-back).
 */
class ReviewCancelTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	record Email(String to) {
	}

	private final List<Worker> workers = new ArrayList<>();

	private RedisJobQueue queue;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		// A long lease: the heartbeat (a third of it) comes long after the handler has ended.
		this.queue = new RedisJobQueue(redis.server().client(), "review-cancel",
				QueueOptions.defaults().withLeaseDuration(Duration.ofSeconds(90)));
	}

	@AfterEach
	void stopWorkers() {
		this.workers.forEach((worker) -> worker.stop(Duration.ofSeconds(5)));
	}

	@Test
	void aJobWhoseCancelWasRequestedIsNotRetriedWhenItsHandlerFailsBeforeTheNextHeartbeat() throws Exception {
		AtomicInteger runs = new AtomicInteger();
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Worker worker = Worker.builder(this.queue).handle("send_email", Email.class, (email, ctx) -> {
			if (runs.incrementAndGet() == 1) {
				started.countDown();
				release.await(60, TimeUnit.SECONDS);
				throw new IllegalStateException("the mail server hung up");
			}
		}).build().start();
		this.workers.add(worker);
		Job job = Job.of("send_email", new Email("a@example.com")).withMaxRetries(5)
			.withBackoff(BackOff.fixed(Duration.ofMillis(100)));
		this.queue.enqueue(job);
		assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

		assertThat(this.queue.cancel(job.id())).isEqualTo(CancelResult.REQUESTED);
		release.countDown();

		await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() > 1
				|| Set.of(JobState.CANCELLED, JobState.COMPLETED).contains(this.queue.get(job.id()).orElseThrow().state()));
		assertThat(this.queue.get(job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		assertThat(runs).hasValue(1);
	}

	@Test
	void aJobWhoseCancelWasRequestedIsNotHandedBackToRunAgainWhenItsWorkerStops() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		AtomicInteger runs = new AtomicInteger();
		Worker worker = Worker.builder(this.queue).handle("send_email", Email.class, (email, ctx) -> {
			runs.incrementAndGet();
			started.countDown();
			while (!ctx.shouldStop()) {
				Thread.sleep(10);
			}
		}).build().start();
		Job job = Job.of("send_email", new Email("b@example.com"));
		this.queue.enqueue(job);
		assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

		assertThat(this.queue.cancel(job.id())).isEqualTo(CancelResult.REQUESTED);
		// A rolling deploy: the worker stops before its next heartbeat and hands the running job back.
		worker.stop(Duration.ofMillis(200));

		assertThat(this.queue.get(job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		Worker next = Worker.builder(this.queue).handle("send_email", Email.class, (email, ctx) -> runs.incrementAndGet())
			.build().start();
		this.workers.add(next);
		Thread.sleep(2_000);
		assertThat(runs).hasValue(1);
	}

}
