package dev.jobqueue.core.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.job.StopReason;
import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.SettleResult;
import dev.jobqueue.core.queue.Settlement;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WorkerTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	record Email(String to, String subject) {
	}

	record Receipt(String to, int attempt) {
	}

	private final List<Worker> workers = new ArrayList<>();

	private RedisJobQueue queue;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.queue = queue("emails");
	}

	@AfterEach
	void stopWorkers() {
		this.workers.forEach((worker) -> worker.stop(Duration.ofSeconds(5)));
	}

	@Test
	void runsTheHandlerWithThePayloadBoundToItsTypeAndStoresTheResult() {
		List<JobContext> contexts = new CopyOnWriteArrayList<>();
		Worker worker = start(Worker.builder(this.queue).handleWithResult("send_email", Email.class, (email, ctx) -> {
			contexts.add(ctx);
			return new Receipt(email.to(), ctx.attempt());
		}));
		Job job = Job.of("send_email", new Email("ada@example.com", "Welcome")).withMetadata("user", "42");
		this.queue.enqueue(job);

		JobInfo done = awaitState(job.id(), JobState.COMPLETED);

		assertThat(done.result()).isEqualTo("{\"to\":\"ada@example.com\",\"attempt\":1}");
		assertThat(contexts).singleElement().satisfies((ctx) -> {
			assertThat(ctx.jobId()).isEqualTo(job.id());
			assertThat(ctx.type()).isEqualTo("send_email");
			assertThat(ctx.queue()).isEqualTo("emails");
			assertThat(ctx.metadata()).containsEntry("user", "42");
		});
		assertThat(worker.activeCount()).isZero();
	}

	@Test
	void neverRunsMoreJobsAtOnceThanItsConcurrency() throws Exception {
		AtomicInteger running = new AtomicInteger();
		AtomicInteger mostAtOnce = new AtomicInteger();
		CountDownLatch release = new CountDownLatch(1);
		start(Worker.builder(this.queue).concurrency(3).handle("send_email", Email.class, (email, ctx) -> {
			mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
			release.await();
			running.decrementAndGet();
		}));
		for (int i = 0; i < 10; i++) {
			this.queue.enqueue(email("job-" + i));
		}

		await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 3);
		assertThat(this.queue.stats().active()).isEqualTo(3);
		assertThat(this.queue.stats().pending()).isEqualTo(7);
		release.countDown();

		await().atMost(Duration.ofSeconds(10)).until(() -> this.queue.stats().completed() == 10);
		assertThat(mostAtOnce.get()).isEqualTo(3);
	}

	@Test
	void takesJobsFromItsQueuesInTheGivenOrder() {
		RedisJobQueue urgent = queue("urgent");
		for (int i = 0; i < 5; i++) {
			this.queue.enqueue(email("normal-" + i).withId("normal-" + i));
			urgent.enqueue(email("urgent-" + i).withId("urgent-" + i));
		}
		List<String> order = new CopyOnWriteArrayList<>();
		start(Worker.builder(urgent, this.queue).concurrency(1).handle("send_email", Email.class,
				(email, ctx) -> order.add(ctx.jobId())));

		await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == 10);
		assertThat(order).containsExactly("urgent-0", "urgent-1", "urgent-2", "urgent-3", "urgent-4", "normal-0",
				"normal-1", "normal-2", "normal-3", "normal-4");
	}

	@Test
	void retriesAFailingJobWithBackoffThenDeadLettersItWithTheReason() {
		List<Long> attemptsAt = new CopyOnWriteArrayList<>();
		RecordingListener listener = new RecordingListener();
		start(Worker.builder(this.queue).listener(listener).handle("send_email", Email.class, (email, ctx) -> {
			attemptsAt.add(System.nanoTime());
			throw new IllegalStateException("SMTP server said 451 on attempt " + ctx.attempt());
		}));
		Job job = email("a").withMaxRetries(2).withBackoff(dev.jobqueue.core.job.BackOff.fixed(Duration.ofMillis(300)));
		this.queue.enqueue(job);

		JobInfo dead = awaitState(job.id(), JobState.DEAD);

		assertThat(attemptsAt).hasSize(3);
		for (int i = 1; i < 3; i++) {
			assertThat(Duration.ofNanos(attemptsAt.get(i) - attemptsAt.get(i - 1))).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		}
		assertThat(dead.failures()).isEqualTo(3);
		assertThat(dead.lastError().message()).isEqualTo("SMTP server said 451 on attempt 3");
		assertThat(dead.lastError().stackTrace()).contains("IllegalStateException").contains("WorkerTests");
		assertThat(dead.lastError().workerId()).isNotBlank();
		assertThat(this.queue.deadLetters().get(job.id())).map((letter) -> letter.attempts()).contains(3);
		await().atMost(Duration.ofSeconds(2)).until(() -> listener.events.size() == 3);
		assertThat(listener.events).containsExactly("retrying " + job.id(), "retrying " + job.id(), "dead " + job.id());
	}

	@Test
	void aCustomBackoffOnThePolicySpacesTheAttempts() {
		List<Duration> delays = new CopyOnWriteArrayList<>();
		List<Long> attemptsAt = new CopyOnWriteArrayList<>();
		start(Worker.builder(this.queue)
			.retryPolicy(RetryPolicy.defaults().withMaxRetries(2)
				.withBackoff(dev.jobqueue.core.job.BackOff.custom((retry, error) -> Duration.ofMillis(200L * retry))))
			.listener(new JobExecutionListener() {
				@Override
				public void onRetrying(LeasedJob job, Throwable error, Duration retryDelay, Duration took) {
					delays.add(retryDelay);
				}
			})
			.handle("send_email", Email.class, (email, ctx) -> {
				attemptsAt.add(System.nanoTime());
				throw new IllegalStateException("try again");
			}));
		Job job = email("custom");
		this.queue.enqueue(job);

		awaitState(job.id(), JobState.DEAD);
		assertThat(delays).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
		assertThat(Duration.ofNanos(attemptsAt.get(1) - attemptsAt.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
		assertThat(Duration.ofNanos(attemptsAt.get(2) - attemptsAt.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(400));
	}

	@Test
	void aNonRetryableFailureGoesStraightToTheDeadLetterQueue() {
		AtomicInteger attempts = new AtomicInteger();
		start(Worker.builder(this.queue).handle("send_email", Email.class, (email, ctx) -> {
			attempts.incrementAndGet();
			throw new NonRetryableJobException("Address does not exist", new IllegalArgumentException("550"));
		}));
		Job job = email("gone").withMaxRetries(10);
		this.queue.enqueue(job);

		JobInfo dead = awaitState(job.id(), JobState.DEAD);
		assertThat(attempts).hasValue(1);
		assertThat(dead.lastError().message()).isEqualTo("Address does not exist");
		assertThat(dead.lastError().exceptionType()).isEqualTo(NonRetryableJobException.class.getName());
	}

	@Test
	void exceptionTypesCanBeMarkedNonRetryableOnThePolicy() {
		start(Worker.builder(this.queue)
			.retryPolicy(RetryPolicy.defaults().withNonRetryable(IllegalArgumentException.class))
			.handle("send_email", Email.class, (email, ctx) -> {
				throw new RuntimeException("wrapped", new IllegalArgumentException("bad address"));
			}));
		Job job = email("x");
		this.queue.enqueue(job);

		assertThat(awaitState(job.id(), JobState.DEAD).failures()).isEqualTo(1);
	}

	@Test
	void aJobThatRunsPastItsTimeoutIsInterruptedAndFailsWithATimeoutReason() {
		AtomicBoolean interrupted = new AtomicBoolean();
		start(Worker.builder(this.queue).handle("send_email", Email.class, (email, ctx) -> {
			try {
				Thread.sleep(60_000);
			}
			catch (InterruptedException ex) {
				interrupted.set(ctx.stopReason().orElse(null) == StopReason.TIMED_OUT);
				throw ex;
			}
		}));
		Job job = email("slow").withTimeout(Duration.ofMillis(300)).withMaxRetries(0);
		this.queue.enqueue(job);

		JobInfo dead = awaitState(job.id(), JobState.DEAD);
		assertThat(dead.lastError().message()).contains("ran longer than its timeout of 300 ms");
		assertThat(dead.lastError().exceptionType()).isEqualTo(JobTimeoutException.class.getName());
		await().atMost(Duration.ofSeconds(2)).untilTrue(interrupted);
	}

	@Test
	void aHandlerThatIgnoresInterruptsDoesNotStopTheWorker() {
		AtomicBoolean hang = new AtomicBoolean(true);
		Map<String, String> done = new ConcurrentHashMap<>();
		start(Worker.builder(this.queue).concurrency(1).timeout(Duration.ofMillis(300))
			.handle("send_email", Email.class, (email, ctx) -> {
				while (email.to().equals("hang") && hang.get()) {
					Thread.onSpinWait();
				}
				done.put(email.to(), ctx.jobId());
			}));
		Job stuck = email("hang").withMaxRetries(0);
		this.queue.enqueue(stuck);
		this.queue.enqueue(email("after-1"));
		this.queue.enqueue(email("after-2"));

		await().atMost(Duration.ofSeconds(10)).until(() -> done.containsKey("after-1") && done.containsKey("after-2"));
		// Its dead letter is written by the settler, which may still be on its way when the next jobs have run.
		awaitState(stuck.id(), JobState.DEAD);
		hang.set(false);
		await().atMost(Duration.ofSeconds(5)).until(() -> done.containsKey("hang"));
		// The abandoned attempt wrote nothing when it finally returned.
		assertThat(this.queue.get(stuck.id()).orElseThrow().state()).isEqualTo(JobState.DEAD);
	}

	@Test
	void anUnknownJobTypePastItsGraceIsDeadLetteredAtOnceWithAPlainReasonAndTheWorkerGoesOn() {
		List<String> handled = new CopyOnWriteArrayList<>();
		start(Worker.builder(this.queue).unknownTypeGrace(Duration.ZERO)
			.handle("send_email", Email.class, (email, ctx) -> handled.add(email.to())));
		Job unknown = Job.of("send_sms", Map.of("to", "+100")).withMaxRetries(3);
		this.queue.enqueue(unknown);
		this.queue.enqueue(email("still-works"));

		JobInfo dead = awaitState(unknown.id(), JobState.DEAD);
		assertThat(dead.failures()).isEqualTo(1);
		assertThat(dead.lastError().message()).startsWith("No handler for job type 'send_sms' on worker")
			.endsWith("(it handles [send_email])");
		assertThat(handled).contains("still-works");
	}

	@Test
	void aPayloadThatDoesNotBindFailsWithAPlainReason() {
		start(Worker.builder(this.queue).handle("send_email", Email.class, (email, ctx) -> {
		}));
		Job bad = Job.ofJson("send_email", "{\"to\": {\"nested\": true}}").withMaxRetries(0);
		this.queue.enqueue(bad);

		JobInfo dead = awaitState(bad.id(), JobState.DEAD);
		assertThat(dead.lastError().message()).startsWith("The payload does not bind to " + Email.class.getName());
	}

	@Test
	void corruptOrMissingJobDataFailsWithAPlainReasonAndTheWorkerGoesOn() {
		List<String> handled = new CopyOnWriteArrayList<>();
		start(Worker.builder(this.queue).retryPolicy(RetryPolicy.defaults().withMaxRetries(0))
			.handle("send_email", Email.class, (email, ctx) -> handled.add(email.to())));
		Job corrupt = email("corrupt");
		Job missing = email("missing");
		Job fine = email("fine");
		// Stop the worker from taking the jobs before they are damaged: enqueue them scheduled, damage, then due.
		this.queue.enqueueAll(List.of(corrupt.withDelay(Duration.ofMillis(500)), missing.withDelay(Duration.ofMillis(500)),
				fine.withDelay(Duration.ofMillis(500))));
		redis.server().client().hset(this.queue.keys().key("jobs"), corrupt.id(), "{not json");
		redis.server().client().hdel(this.queue.keys().key("jobs"), missing.id());

		await().atMost(Duration.ofSeconds(10)).until(() -> this.queue.deadLetters().size() == 2);
		assertThat(this.queue.deadLetters().get(corrupt.id()).orElseThrow().message())
			.startsWith("Job " + corrupt.id() + " is stored corrupt: the header line is not");
		assertThat(this.queue.deadLetters().get(missing.id()).orElseThrow().message())
			.isEqualTo("The data of job " + missing.id() + " is missing from Redis");
		await().atMost(Duration.ofSeconds(5)).until(() -> handled.contains("fine"));
	}

	@Test
	void stopLetsARunningJobFinishAndFetchesNothingMore() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Worker worker = start(Worker.builder(this.queue).concurrency(1).handle("send_email", Email.class, (email, ctx) -> {
			started.countDown();
			release.await();
		}));
		Job running = email("running");
		this.queue.enqueue(running);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

		java.util.concurrent.CompletableFuture<Boolean> stopped = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> worker.stop(Duration.ofSeconds(10)));
		await().atMost(Duration.ofSeconds(5)).until(() -> !worker.isRunning());
		Job later = email("later");
		this.queue.enqueue(later);
		release.countDown();

		assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.queue.get(running.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
		assertThat(this.queue.get(later.id()).orElseThrow().state()).isEqualTo(JobState.PENDING);
	}

	@Test
	void aJobStillRunningAtTheStopTimeoutIsHandedBackAndRunsElsewhereAtOnce() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		Worker first = start(Worker.builder(this.queue).handle("send_email", Email.class, (email, ctx) -> {
			started.countDown();
			try {
				Thread.sleep(60_000);
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
				throw ex;
			}
		}));
		Job job = email("long");
		this.queue.enqueue(job);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

		assertThat(first.stop(Duration.ofMillis(300))).isFalse();

		await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
		JobInfo info = this.queue.get(job.id()).orElseThrow();
		assertThat(info.state()).isEqualTo(JobState.PENDING);
		assertThat(info.failures()).isZero();
		List<String> second = new CopyOnWriteArrayList<>();
		start(Worker.builder(this.queue).handle("send_email", Email.class, (email, ctx) -> second.add(ctx.jobId())));
		await().atMost(Duration.ofSeconds(3)).until(() -> second.contains(job.id()));
		assertThat(awaitState(job.id(), JobState.COMPLETED).attempts()).isEqualTo(2);
	}

	@Test
	void stopsByItselfAfterMaxJobs() {
		AtomicInteger handled = new AtomicInteger();
		Worker worker = start(Worker.builder(this.queue).concurrency(4).maxJobs(5)
			.handle("send_email", Email.class, (email, ctx) -> handled.incrementAndGet()));
		for (int i = 0; i < 12; i++) {
			this.queue.enqueue(email("m" + i));
		}

		assertThat(worker.awaitTermination(Duration.ofSeconds(10))).isTrue();
		assertThat(handled).hasValue(5);
		assertThat(this.queue.stats().completed()).isEqualTo(5);
		assertThat(this.queue.stats().pending()).isEqualTo(7);
	}

	@Test
	void stopsByItselfWhenTheQueueIsEmpty() {
		for (int i = 0; i < 20; i++) {
			this.queue.enqueue(email("e" + i));
		}
		Worker worker = start(Worker.builder(this.queue).stopWhenEmpty(true)
			.handle("send_email", Email.class, (email, ctx) -> {
			}));

		assertThat(worker.awaitTermination(Duration.ofSeconds(10))).isTrue();
		assertThat(this.queue.stats().completed()).isEqualTo(20);
	}

	@Test
	void aWorkerThatLosesALeaseStopsItsHandlerAndWritesNothingForThatAttempt() throws Exception {
		RedisJobQueue shortLeases = new RedisJobQueue(redis.server().client(), "emails",
				QueueOptions.defaults().withLeaseDuration(Duration.ofSeconds(3)));
		CountDownLatch started = new CountDownLatch(1);
		AtomicBoolean sawCancellation = new AtomicBoolean();
		RecordingListener listener = new RecordingListener();
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		start(Worker.builder(shortLeases).listener(listener).handle("send_email", Email.class, (email, ctx) -> {
			attempts.add(ctx.attempt());
			if (ctx.attempt() == 1) {
				started.countDown();
				try {
					Thread.sleep(60_000);
				}
				catch (InterruptedException ex) {
					sawCancellation.set(ctx.stopReason().orElse(null) == StopReason.LEASE_LOST);
				}
			}
		}));
		Job job = email("lost");
		shortLeases.enqueue(job);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

		// Another party took the lease (as a reaper would after a long pause of this worker).
		redis.server().client().hdel(shortLeases.keys().key("leases"), job.id());

		await().atMost(Duration.ofSeconds(5)).untilTrue(sawCancellation);
		assertThat(listener.events).contains("lease lost " + job.id());
		// The interrupted first attempt returned normally, yet wrote nothing: the job ran again.
		JobInfo done = awaitState(job.id(), JobState.COMPLETED);
		assertThat(attempts).containsExactly(1, 2);
		assertThat(done.stalls()).isEqualTo(1);
	}

	@Test
	void heartbeatsKeepLeasesOfBusyHandlersAliveOnTheirOwnThread() {
		RedisJobQueue shortLeases = new RedisJobQueue(redis.server().client(), "emails",
				QueueOptions.defaults().withLeaseDuration(Duration.ofSeconds(3)));
		RecordingListener listener = new RecordingListener();
		// Every slot spins on the CPU for more than two lease lengths: only a heartbeat of its own keeps the leases.
		start(Worker.builder(shortLeases).concurrency(2).listener(listener).handle("send_email", Email.class, (email, ctx) -> {
			long until = System.nanoTime() + Duration.ofSeconds(7).toNanos();
			while (System.nanoTime() < until) {
				Thread.onSpinWait();
			}
		}));
		Job first = email("busy-1");
		Job second = email("busy-2");
		shortLeases.enqueueAll(List.of(first, second));

		for (Job job : List.of(first, second)) {
			JobInfo done = awaitState(job.id(), JobState.COMPLETED);
			assertThat(done.attempts()).isEqualTo(1);
			assertThat(done.stalls()).isZero();
		}
		assertThat(listener.events).isEmpty();
	}

	@Test
	void aCompletionRedisRefusesForATransientReasonIsWrittenLaterWithoutRunningTheJobAgain() {
		java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
		RedisJobQueue shortLeases = new RedisJobQueue(redis.server().client(), "emails",
				QueueOptions.defaults().withLeaseDuration(Duration.ofSeconds(3)));
		JobStore refusing = new ForwardingJobStore(shortLeases.store()) {
			@Override
			public SettleResult settle(List<Settlement> settlements) {
				if (refusals.getAndIncrement() < 3) {
					throw new redis.clients.jedis.exceptions.JedisDataException(
							List.of("OOM command not allowed when used memory > 'maxmemory'.", "LOADING Redis is loading the dataset in memory",
									"READONLY You can't write against a read only replica.").get(refusals.get() - 1));
				}
				return super.settle(settlements);
			}
		};
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		start(Worker.builderForStores(List.of(refusing)).handle("send_email", Email.class,
				(email, ctx) -> attempts.add(ctx.attempt())));
		Job job = email("refused");
		shortLeases.enqueue(job);

		JobInfo done = awaitState(job.id(), JobState.COMPLETED);
		assertThat(attempts).containsExactly(1);
		assertThat(done.stalls()).isZero();
		assertThat(refusals.get()).isGreaterThan(3);
	}

	@Test
	void failedWaitsWhileRedisIsDownDoNotRaiseTheConcurrency() {
		Worker worker = start(Worker.builder(this.queue).concurrency(2).handle("send_email", Email.class, (email, ctx) -> {
			Thread.sleep(30);
		}));
		redis.server().stop();
		// The idle worker's blocking waits fail again and again while Redis is gone.
		await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> worker.freeSlots() <= 2);
		redis.server().start();

		for (int i = 0; i < 20; i++) {
			this.queue.enqueue(email("after-outage-" + i));
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.queue.stats().completed() == 20);
		await().atMost(Duration.ofSeconds(5)).until(() -> worker.freeSlots() == 2);
		assertThat(worker.isRunning()).isTrue();
	}

	@Test
	void aBackoffThatThrowsNeitherLeaksASlotNorLosesTheJob() {
		List<String> handled = new CopyOnWriteArrayList<>();
		start(Worker.builder(new RedisJobQueue(redis.server().client(), "emails",
				QueueOptions.defaults().withLeaseDuration(Duration.ofSeconds(3)).withMaxStalls(1)))
			.concurrency(1)
			.retryPolicy(RetryPolicy.defaults().withBackoff(dev.jobqueue.core.job.BackOff.custom((retry, error) -> {
				throw new IllegalStateException("broken back-off");
			})))
			.handle("send_email", Email.class, (email, ctx) -> {
				handled.add(email.to());
				if (email.to().equals("fails")) {
					throw new IllegalStateException("boom");
				}
			}));
		Job failing = email("fails");
		this.queue.enqueue(failing);
		this.queue.enqueue(email("next"));

		await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("next"));
		// A back-off that cannot say when still records the failure, with a retry in a minute.
		JobInfo retrying = awaitState(failing.id(), JobState.RETRYING);
		assertThat(retrying.failures()).isEqualTo(1);
		assertThat(retrying.stalls()).isZero();
	}

	@Test
	void aListenerThatThrowsAnErrorDoesNotStopTheWorker() {
		start(Worker.builder(this.queue).listener(new JobExecutionListener() {
			@Override
			public void onStarted(LeasedJob job, Duration waited) {
				throw new AssertionError("listener bug");
			}

			@Override
			public void onCompleted(LeasedJob job, Duration took) {
				throw new AssertionError("listener bug");
			}
		}).handle("send_email", Email.class, (email, ctx) -> {
		}));
		Job first = email("one");
		Job second = email("two");
		this.queue.enqueue(first);
		awaitState(first.id(), JobState.COMPLETED);
		this.queue.enqueue(second);

		awaitState(second.id(), JobState.COMPLETED);
	}

	@Test
	void progressReportedByAHandlerIsVisibleWhileItRuns() throws Exception {
		CountDownLatch reported = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		start(Worker.builder(this.queue).handle("send_email", Email.class, (email, ctx) -> {
			ctx.updateProgress(50);
			reported.countDown();
			release.await();
		}));
		Job job = email("p");
		this.queue.enqueue(job);
		assertThat(reported.await(5, TimeUnit.SECONDS)).isTrue();

		assertThat(this.queue.get(job.id()).orElseThrow().progress()).isEqualTo(50);
		release.countDown();
		awaitState(job.id(), JobState.COMPLETED);
	}

	@Test
	void anIdleWorkerStartsDelayedJobsAtTheirDueTime() {
		List<Duration> lateness = new CopyOnWriteArrayList<>();
		Map<String, java.time.Instant> due = new ConcurrentHashMap<>();
		start(Worker.builder(this.queue).listener(new JobExecutionListener() {
			@Override
			public void onStarted(LeasedJob job, Duration waited) {
				lateness.add(Duration.between(due.get(job.id()), job.leasedAt()));
			}
		}).handle("send_email", Email.class, (email, ctx) -> {
		}));
		for (int i = 0; i < 3; i++) {
			Job job = email("d" + i).withDelay(Duration.ofMillis(700 + 400 * i));
			this.queue.enqueue(job);
			due.put(job.id(), this.queue.get(job.id()).orElseThrow().stateAt());
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> lateness.size() == 3);
		// Started by their due time, not by an idle worker's periodic look (once a minute).
		assertThat(lateness).allSatisfy((late) -> assertThat(late).isBetween(Duration.ZERO, Duration.ofSeconds(30)));
	}

	@Test
	void aWorkerThatStoppedWhileIdleLeavesTheNextEnqueueSignalToTheWorkersStillRunning() {
		Worker stopped = start(Worker.builder(this.queue).handle("send_email", Email.class, (email, ctx) -> {
		}));
		await().atMost(Duration.ofSeconds(10)).until(() -> blockedClients() == 1);
		List<String> ran = new CopyOnWriteArrayList<>();
		start(Worker.builder(this.queue).handle("send_email", Email.class, (email, ctx) -> ran.add(email.to())));
		await().atMost(Duration.ofSeconds(10)).until(() -> blockedClients() == 2);
		// The stopped worker's wait, first in line for the queue's signal, outlives its stop.
		stopped.stop(Duration.ofSeconds(5));

		this.queue.enqueue(email("after-stop"));

		// Woken by the signal, not by the running worker's look once a minute.
		await().atMost(Duration.ofSeconds(30)).until(() -> ran.contains("after-stop"));
	}

	@Test
	void anIdleWorkerCostsAboutOneRedisCallASecondWhateverTheQueuesItServes() {
		List<RedisJobQueue> queues = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			queues.add(queue("idle-" + i));
		}
		start(Worker.builder(queues).concurrency(8).handle("send_email", Email.class, (email, ctx) -> {
		}));
		// After its first look at every queue (and the reaper's), it only blocks.
		await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> roundTrips() > 0);
		long before = roundTrips();

		await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(20)).until(() -> true);
		assertThat(roundTrips() - before).isLessThanOrEqualTo(10);

		// A signal still wakes it at once for a new job.
		Job job = email("wake-up");
		queues.get(7).enqueue(job);
		await().atMost(Duration.ofSeconds(10)).until(() -> queues.get(7).get(job.id()).orElseThrow().state() == JobState.COMPLETED);
	}

	@Test
	void aHandlerThrowingAnErrorIsAFailureLikeAnyOther() {
		start(Worker.builder(this.queue).handle("send_email", Email.class, (email, ctx) -> {
			throw new StackOverflowError("deep");
		}));
		Job job = email("err").withMaxRetries(0);
		this.queue.enqueue(job);

		assertThat(awaitState(job.id(), JobState.DEAD).lastError().exceptionType()).isEqualTo("java.lang.StackOverflowError");
	}

	private long blockedClients() {
		return redis.server().client().info("clients").lines()
			.filter((line) -> line.startsWith("blocked_clients:"))
			.mapToLong((line) -> Long.parseLong(line.substring("blocked_clients:".length()).trim()))
			.sum();
	}

	/** Requests the worker sent to Redis (scripts, blocking pops, relay scans), not the commands scripts ran inside. */
	private long roundTrips() {
		String stats = redis.server().client().info("commandstats");
		return stats.lines()
			.filter((line) -> line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")
					|| line.startsWith("cmdstat_blpop:") || line.startsWith("cmdstat_hscan:"))
			.mapToLong((line) -> Long.parseLong(line.replaceAll("^[^:]+:calls=(\\d+),.*", "$1")))
			.sum();
	}

	private JobInfo awaitState(String id, JobState state) {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.queue.get(id).map(JobInfo::state).orElse(null) == state);
		return this.queue.get(id).orElseThrow();
	}

	private Worker start(Worker.Builder builder) {
		Worker worker = builder.build();
		this.workers.add(worker);
		return worker.start();
	}

	private RedisJobQueue queue(String name) {
		return new RedisJobQueue(redis.server().client(), name);
	}

	private static Job email(String to) {
		return Job.of("send_email", new Email(to, "hello"));
	}

	static final class RecordingListener implements JobExecutionListener {

		final List<String> events = Collections.synchronizedList(new ArrayList<>());

		@Override
		public void onRetrying(LeasedJob job, Throwable error, Duration retryDelay, Duration took) {
			this.events.add("retrying " + job.id());
		}

		@Override
		public void onDeadLettered(LeasedJob job, Throwable error, Duration took) {
			this.events.add("dead " + job.id());
		}

		@Override
		public void onLeaseLost(LeasedJob job) {
			this.events.add("lease lost " + job.id());
		}

	}

}
