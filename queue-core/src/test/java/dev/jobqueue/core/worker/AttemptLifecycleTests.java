package dev.jobqueue.core.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.job.StopReason;
import dev.jobqueue.core.queue.CancelResult;
import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.LeaseBatch;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.Retention;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** How an attempt ends in every case: cancelled, abandoned, stuck, unknown, and when the worker itself fails. */
class AttemptLifecycleTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	record Email(String to) {
	}

	private final List<Worker> workers = new ArrayList<>();

	private RedisJobQueue queue;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.queue = new RedisJobQueue(redis.server().client(), "emails",
				QueueOptions.defaults().withLeaseDuration(Duration.ofSeconds(3)));
	}

	@AfterEach
	void stopWorkers() {
		this.workers.forEach((worker) -> worker.stop(Duration.ofSeconds(5)));
	}

	@Test
	void aRunningJobCancelledFromOutsideStopsAtTheNextHeartbeatAndEndsCancelledWithoutARetry() {
		AtomicReference<StopReason> seen = new AtomicReference<>();
		CountDownLatch started = new CountDownLatch(1);
		List<String> events = new CopyOnWriteArrayList<>();
		start(Worker.builder(this.queue).listener(new JobExecutionListener() {
			@Override
			public void onCancelled(LeasedJob job) {
				events.add("cancelled " + job.id());
			}
		}).handle("send_email", Email.class, (email, ctx) -> {
			started.countDown();
			while (!ctx.shouldStop()) {
				Thread.onSpinWait();
			}
			seen.set(ctx.stopReason().orElseThrow());
		}));
		Job job = Job.of("send_email", new Email("long")).withMaxRetries(5);
		this.queue.enqueue(job);
		await().atMost(Duration.ofSeconds(10)).until(() -> started.getCount() == 0);

		assertThat(this.queue.cancel(job.id())).isEqualTo(CancelResult.REQUESTED);

		JobInfo cancelled = awaitState(job.id(), JobState.CANCELLED);
		assertThat(cancelled.attempts()).isEqualTo(1);
		assertThat(cancelled.failures()).isZero();
		assertThat(seen.get()).isEqualTo(StopReason.CANCELLED);
		await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("cancelled " + job.id()));
	}

	@Test
	void aJobOfATypeNotYetRolledOutIsHandedBackWithoutAFailureUntilAWorkerKnowsIt() {
		start(Worker.builder(this.queue).handle("send_email", Email.class, (email, ctx) -> {
		}));
		Job sms = Job.ofJson("send_sms", "{\"to\":\"+100\"}").withMaxRetries(0);
		this.queue.enqueue(sms);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.queue.get(sms.id()).orElseThrow().state() == JobState.SCHEDULED);

		List<String> ran = new CopyOnWriteArrayList<>();
		start(Worker.builder(this.queue).handleJob("send_sms", (job, ctx) -> ran.add(job.id()), HandlerOptions.DEFAULTS));

		JobInfo done = awaitState(sms.id(), JobState.COMPLETED);
		assertThat(ran).contains(sms.id());
		assertThat(done.failures()).isZero();
	}

	@Test
	void errorsThatCanNeverSucceedAreDeadLetteredAtOnceWhateverRetriesRemain() {
		start(Worker.builder(this.queue).handle("send_email", Email.class, (email, ctx) -> {
		}));
		Job unbindable = Job.ofJson("send_email", "{\"to\": {\"nested\": true}}").withMaxRetries(5);
		Job corrupt = Job.ofJson("send_email", "{}").withMaxRetries(5).withDelay(Duration.ofSeconds(1));
		this.queue.enqueueAll(List.of(unbindable, corrupt));
		redis.server().client().hset(this.queue.keys().key("jobs"), corrupt.id(), "not an envelope");

		assertThat(awaitState(unbindable.id(), JobState.DEAD).failures()).isEqualTo(1);
		JobInfo dead = awaitState(corrupt.id(), JobState.DEAD);
		assertThat(dead.failures()).isEqualTo(1);
		assertThat(dead.lastError().message()).contains("stored corrupt");
	}

	@Test
	void aWorkerWhoseFetchingThreadDiesReportsItsFailureAndHandsItsJobsBack() {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger leases = new AtomicInteger();
		JobStore failing = new ForwardingJobStore(this.queue.store()) {
			@Override
			public LeaseBatch lease(int max, boolean allowSuspect) {
				LeaseBatch batch = super.lease(max, allowSuspect);
				if (!batch.jobs().isEmpty() && leases.incrementAndGet() > 1) {
					throw new AssertionError("a bug in the fetching thread");
				}
				return batch;
			}
		};
		Worker worker = start(Worker.builderForStores(List.of(failing)).concurrency(2).shutdownTimeout(Duration.ofSeconds(1))
			.handle("send_email", Email.class, (email, ctx) -> release.await()));
		Job first = Job.of("send_email", new Email("first"));
		this.queue.enqueue(first);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.queue.get(first.id()).orElseThrow().state() == JobState.ACTIVE);
		this.queue.enqueue(Job.of("send_email", new Email("second")));

		await().atMost(Duration.ofSeconds(20)).until(() -> worker.awaitTermination(Duration.ZERO));
		assertThat(worker.failure()).isInstanceOf(AssertionError.class).hasMessage("a bug in the fetching thread");
		assertThat(worker.isRunning()).isFalse();
		assertThat(this.queue.get(first.id()).orElseThrow().state()).isEqualTo(JobState.PENDING);
		release.countDown();
	}

	@Test
	void handlersThatIgnoreInterruptsAreCountedAndCappedInsteadOfLeakingThreads() {
		CountDownLatch release = new CountDownLatch(1);
		List<String> ran = new CopyOnWriteArrayList<>();
		Worker worker = start(Worker.builder(this.queue).concurrency(2).maxStuckHandlers(1).virtualThreads(false)
			.handle("send_email", Email.class, (email, ctx) -> {
				ran.add(email.to());
				if (email.to().startsWith("hang")) {
					while (release.getCount() > 0) {
						try {
							release.await();
						}
						catch (InterruptedException ex) {
							// Ignores the interrupt, as a badly written handler does.
						}
					}
				}
			}));
		Job hang1 = Job.of("send_email", new Email("hang-1")).withTimeout(Duration.ofMillis(500)).withMaxRetries(0);
		Job hang2 = Job.of("send_email", new Email("hang-2")).withTimeout(Duration.ofMillis(500)).withMaxRetries(0);
		this.queue.enqueueAll(List.of(hang1, hang2));

		awaitState(hang1.id(), JobState.DEAD);
		awaitState(hang2.id(), JobState.DEAD);
		await().atMost(Duration.ofSeconds(10)).until(() -> worker.stuckHandlers() == 2);
		// One stuck handler got a thread lent in its place; the other keeps its slot: one slot is left.
		await().atMost(Duration.ofSeconds(10)).until(() -> worker.freeSlots() == 1);
		Job normal = Job.of("send_email", new Email("normal"));
		this.queue.enqueue(normal);
		awaitState(normal.id(), JobState.COMPLETED);

		release.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> worker.stuckHandlers() == 0 && worker.freeSlots() == 2);
	}

	@Test
	void anAttemptAbandonedBeforeItsHandlerStartedNeverStarts() throws Exception {
		this.queue.enqueue(Job.of("send_email", new Email("late")));
		LeasedJob lease = this.queue.store().lease(1, false).jobs().get(0);
		ExecutorService oneThread = Executors.newSingleThreadExecutor();
		CountDownLatch busy = new CountDownLatch(1);
		oneThread.execute(() -> awaitQuietly(busy));
		AtomicInteger handled = new AtomicInteger();
		JobHandlers handlers = new JobHandlers();
		handlers.add("send_email", Email.class, (JobProcessor<Email>) (email, ctx) -> handled.incrementAndGet(),
				HandlerOptions.DEFAULTS);
		Semaphore slots = new Semaphore(0);
		JobRunner runner = new JobRunner(new WorkerSettings("w", handlers, RetryPolicy.defaults(), Duration.ofMinutes(1),
				new JobExecutionListener() {
				}, Duration.ZERO, 1), slots, HandlerThreads.over(oneThread), new RedisOutageLog("w"), "test-");
		try {
			assertThat(runner.submit(this.queue.store(), lease)).isTrue();
			runner.leaseLost(runner.attempts().iterator().next());
			busy.countDown();

			await().atMost(Duration.ofSeconds(10)).until(() -> slots.availablePermits() == 1);
			oneThread.shutdown();
			assertThat(oneThread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			assertThat(handled.get()).isZero();
		}
		finally {
			runner.shutdown(Duration.ofSeconds(1));
		}
	}

	@Test
	void timeoutBookkeepingDoesNotGrowWithTheJobsRun() {
		Worker worker = start(Worker.builder(this.queue).concurrency(4).handle("send_email", Email.class, (email, ctx) -> {
		}));
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			jobs.add(Job.of("send_email", new Email("e" + i)));
		}
		this.queue.enqueueAll(jobs);

		await().atMost(Duration.ofSeconds(60)).until(() -> this.queue.stats().completed() >= 500 && worker.activeCount() == 0);
		// The lease fence is the one timer left: no cancelled timeout stays behind.
		assertThat(worker.pendingTimers()).isLessThanOrEqualTo(1);
	}

	@Test
	void deadLettersRemovedByRetentionAreCountedAndLogged() {
		RedisJobQueue kept = new RedisJobQueue(redis.server().client(), "emails",
				QueueOptions.defaults().withDeadRetention(new Retention(2, Duration.ofDays(1))));
		AtomicLong trimmed = new AtomicLong();
		ListAppender<ILoggingEvent> log = capture();
		start(Worker.builder(kept).concurrency(1).listener(new JobExecutionListener() {
			@Override
			public void onDeadLettersTrimmed(String queue, long count) {
				trimmed.addAndGet(count);
			}
		}).handle("send_email", Email.class, (email, ctx) -> {
			throw new IllegalStateException("boom");
		}));
		for (int i = 0; i < 5; i++) {
			kept.enqueue(Job.of("send_email", new Email("d" + i)).withMaxRetries(0));
		}

		await().atMost(Duration.ofSeconds(20)).until(() -> trimmed.get() == 3);
		assertThat(kept.deadLetters().size()).isEqualTo(2);
		assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
			.anySatisfy((line) -> assertThat(line).contains("dead-letter retention removed").contains("keeps 2"));
	}

	@Test
	void aRedisOutageIsLoggedOnceWhenItStartsAndOnceWhenItEnds() {
		RedisJobQueue other = new RedisJobQueue(redis.server().client(), "other");
		start(Worker.builder(this.queue, other).handle("send_email", Email.class, (email, ctx) -> {
		}));
		ListAppender<ILoggingEvent> log = capture();
		redis.server().stop();
		await().atMost(Duration.ofSeconds(20)).until(() -> log.list.stream()
			.anyMatch((event) -> event.getFormattedMessage().contains("cannot use Redis")));
		// Fetching, heartbeats and reaping of two queues all fail for a while; the log stays quiet.
		await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
		redis.server().start();
		Job after = Job.of("send_email", new Email("after"));
		this.queue.enqueue(after);
		awaitState(after.id(), JobState.COMPLETED);
		await().atMost(Duration.ofSeconds(10)).until(() -> log.list.stream()
			.anyMatch((event) -> event.getFormattedMessage().contains("uses Redis again")));

		assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).filteredOn((line) -> line.contains("Redis"))
			.hasSize(2);
	}

	private static ListAppender<ILoggingEvent> capture() {
		Logger logger = (Logger) LoggerFactory.getLogger(Worker.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		return appender;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private JobInfo awaitState(String id, JobState state) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.queue.get(id).map(JobInfo::state).orElse(null) == state);
		return this.queue.get(id).orElseThrow();
	}

	private Worker start(Worker.Builder builder) {
		Worker worker = builder.build();
		this.workers.add(worker);
		return worker.start();
	}

}
