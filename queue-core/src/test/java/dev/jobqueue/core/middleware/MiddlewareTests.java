package dev.jobqueue.core.middleware;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.limit.RateLimiter;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.worker.HandlerOptions;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MiddlewareTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	record Task(String key, int n) {
	}

	private final List<Worker> workers = new ArrayList<>();

	private RedisJobQueue queue;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.queue = new RedisJobQueue(redis.server().client(), "mw",
				QueueOptions.defaults().withLeaseDuration(Duration.ofSeconds(2)));
	}

	@AfterEach
	void stopWorkers() {
		this.workers.forEach((worker) -> worker.stop(Duration.ofSeconds(5)));
	}

	private Worker start(Worker.Builder builder) {
		Worker worker = builder.build();
		this.workers.add(worker);
		return worker.start();
	}

	@Test
	void rateLimitedJobsWaitForTheirTurnAndKeepAllTheirRetries() {
		RateLimiter limiter = new RateLimiter(redis.server().client(), "jobqueue", "api", 1, Duration.ofMillis(500), 1,
				RateLimiter.Listener.NONE);
		AtomicInteger looks = new AtomicInteger();
		AtomicInteger ran = new AtomicInteger();
		JobMiddleware counting = (invocation) -> {
			looks.incrementAndGet();
			return invocation.proceed();
		};
		start(Worker.builder(this.queue).concurrency(4).handle("call", Task.class, (task, ctx) -> ran.incrementAndGet(),
				HandlerOptions.DEFAULTS.withMiddleware(counting, RateLimit.perKey(limiter, (job) -> "tenant-7"))));
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			// No retry at all: a hand-back that counted as a failure would dead-letter the job.
			jobs.add(Job.of("call", new Task("tenant-7", i)).withMaxRetries(0));
		}
		this.queue.enqueueAll(jobs);

		for (Job job : jobs) {
			JobInfo done = awaitState(job.id(), JobState.COMPLETED);
			assertThat(done.failures()).isZero();
			assertThat(done.attempts()).isEqualTo(1);
		}
		assertThat(ran).hasValue(4);
		// Four jobs at once against one admission per 500 ms: some were handed back before they ran.
		assertThat(looks.get()).isGreaterThan(4);
	}

	@Test
	void aJobThatASkipIfConditionHoldsForEndsSkippedWithTheReason() {
		AtomicInteger ran = new AtomicInteger();
		start(Worker.builder(this.queue).handle("sync", Task.class, (task, ctx) -> ran.incrementAndGet(),
				HandlerOptions.DEFAULTS.withMiddleware(new SkipIf((job) -> job.payload().contains("\"maintenance\""),
						"maintenance mode"))));
		Job skipped = Job.of("sync", new Task("maintenance", 1));
		Job run = Job.of("sync", new Task("normal", 2));
		this.queue.enqueueAll(List.of(skipped, run));

		assertThat(awaitState(skipped.id(), JobState.SKIPPED).result()).isEqualTo("\"maintenance mode\"");
		awaitState(run.id(), JobState.COMPLETED);
		assertThat(ran).hasValue(1);
	}

	@Test
	void jobsWithTheSameKeyNeverOverlapAcrossTwoWorkerPools() {
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		AtomicInteger otherKeyOverlaps = new AtomicInteger();
		AtomicInteger insideOther = new AtomicInteger();
		for (int pool = 0; pool < 2; pool++) {
			start(Worker.builder(this.queue).concurrency(4).middleware(new WithoutOverlapping(
					(job) -> job.payloadAs(Task.class).key(), Duration.ofMillis(50)))
				.handle("report", Task.class, (task, ctx) -> {
					AtomicInteger counter = task.key().equals("a") ? inside : insideOther;
					int now = counter.incrementAndGet();
					most.accumulateAndGet(task.key().equals("a") ? now : 0, Math::max);
					if (!task.key().equals("a") && inside.get() > 0) {
						otherKeyOverlaps.incrementAndGet();
					}
					Thread.sleep(30);
					counter.decrementAndGet();
				}));
		}
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			jobs.add(Job.of("report", new Task("a", i)).withMaxRetries(0));
			jobs.add(Job.of("report", new Task("b" + i, i)).withMaxRetries(0));
		}
		this.queue.enqueueAll(jobs);

		for (Job job : jobs) {
			assertThat(awaitState(job.id(), JobState.COMPLETED).failures()).isZero();
		}
		assertThat(most).hasValue(1);
		// Other keys are not held back by "a": they ran while some "a" ran.
		assertThat(otherKeyOverlaps.get()).isPositive();
	}

	@Test
	void middlewareRunsInDeclarationOrderAroundTheHandler() {
		List<String> trace = new CopyOnWriteArrayList<>();
		JobMiddleware outer = (invocation) -> {
			trace.add("outer in");
			Object result = invocation.proceed();
			trace.add("outer out " + result);
			return result;
		};
		JobMiddleware inner = (invocation) -> {
			trace.add("inner in " + invocation.context().attempt());
			return invocation.proceed();
		};
		start(Worker.builder(this.queue).middleware(outer).handleWithResult("t", Task.class, (task, ctx) -> {
			trace.add("handler");
			return task.n();
		}, HandlerOptions.DEFAULTS.withMiddleware(inner)));
		Job job = Job.of("t", new Task("x", 7));
		this.queue.enqueue(job);

		assertThat(awaitState(job.id(), JobState.COMPLETED).result()).isEqualTo("7");
		assertThat(trace).containsExactly("outer in", "inner in 1", "handler", "outer out 7");
	}

	@Test
	void theFailedHookRunsOnceAfterTheLastAttemptAndItsOwnFailureChangesNothing() {
		List<String> failedWith = new CopyOnWriteArrayList<>();
		start(Worker.builder(this.queue).handle("charge", Task.class, (task, ctx) -> {
			throw new IllegalStateException("card declined " + ctx.attempt());
		}, HandlerOptions.DEFAULTS.withRetryPolicy(dev.jobqueue.core.worker.RetryPolicy.defaults().withMaxRetries(2)
			.withBackoff(dev.jobqueue.core.job.BackOff.fixed(Duration.ofMillis(50)))).withOnFailed((error, payload) -> {
				failedWith.add(error.getMessage() + " " + ((Task) payload).key());
				throw new IllegalStateException("the hook itself fails");
			})));
		Job job = Job.of("charge", new Task("order-1", 1));
		this.queue.enqueue(job);

		JobInfo dead = awaitState(job.id(), JobState.DEAD);

		assertThat(dead.attempts()).isEqualTo(3);
		await().untilAsserted(() -> assertThat(failedWith).containsExactly("card declined 3 order-1"));
		assertThat(this.queue.get(job.id()).orElseThrow().state()).isEqualTo(JobState.DEAD);
	}

	@Test
	void theTimedOutHookRunsWithThePayloadWhenAnAttemptRunsTooLong() {
		List<Object> timedOut = new CopyOnWriteArrayList<>();
		start(Worker.builder(this.queue).handle("slow", Task.class, (task, ctx) -> Thread.sleep(60_000),
				HandlerOptions.DEFAULTS.withTimeout(Duration.ofMillis(300)).withOnTimedOut(timedOut::add)));
		Job job = Job.of("slow", new Task("export", 1)).withMaxRetries(0);
		this.queue.enqueue(job);

		awaitState(job.id(), JobState.DEAD);
		await().untilAsserted(() -> assertThat(timedOut).containsExactly(new Task("export", 1)));
	}

	private JobInfo awaitState(String id, JobState state) {
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(this.queue.get(id))
			.hasValueSatisfying((info) -> assertThat(info.state()).isEqualTo(state)));
		return this.queue.get(id).orElseThrow();
	}

}
