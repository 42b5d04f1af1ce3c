package dev.jobqueue.core.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import dev.jobqueue.core.event.JobEvent;
import dev.jobqueue.core.event.RedisEventStore;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.CancelResult;
import dev.jobqueue.core.queue.EnqueueResult;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.SettleResult;
import dev.jobqueue.core.queue.Settlement;
import dev.jobqueue.core.worker.HandlerOptions;
import dev.jobqueue.core.worker.RetryPolicy;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FlowsTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	record Step(String name) {
	}

	record Total(int value) {
	}

	private final List<Worker> workers = new ArrayList<>();

	private RedisJobQueue queue;

	private Flows flows;

	/** Job types run, in order, with their payload's name. */
	private final List<String> ran = new CopyOnWriteArrayList<>();

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.queue = new RedisJobQueue(redis.server().client(), "flows",
				QueueOptions.defaults().withLeaseDuration(Duration.ofSeconds(2)));
		this.flows = new Flows(this.queue);
	}

	@AfterEach
	void stopWorkers() {
		this.workers.forEach((worker) -> worker.stop(Duration.ofSeconds(5)));
	}

	private Worker.Builder worker() {
		return Worker.builder(this.queue).concurrency(4)
			.retryPolicy(RetryPolicy.defaults().withMaxRetries(1).withBackoff(dev.jobqueue.core.job.BackOff.fixed(Duration.ofMillis(100))))
			.handleWithResult("add", Total.class, (total, ctx) -> {
				this.ran.add("add " + total.value());
				int previous = ctx.previousResult(Total.class).map(Total::value).orElse(0);
				return new Total(previous + total.value());
			})
			.handle("step", Step.class, (step, ctx) -> this.ran.add("step " + step.name()))
			.handle("fail", Step.class, (step, ctx) -> {
				this.ran.add("fail " + step.name());
				throw new IllegalStateException("step " + step.name() + " cannot work");
			})
			.handle("callback", Step.class, (step, ctx) -> this.ran.add("callback " + step.name()));
	}

	private Worker start(Worker.Builder builder) {
		Worker worker = builder.build();
		this.workers.add(worker);
		return worker.start();
	}

	@Test
	void aChainRunsItsStepsInOrderAndEachReadsTheResultOfTheOneBefore() {
		start(worker());
		ChainStatus dispatched = this.flows.chain().add("add", new Total(1)).add("add", new Total(2))
			.add("add", new Total(3)).dispatch();
		assertThat(dispatched.status()).isEqualTo(FlowStatus.RUNNING);

		ChainStatus done = awaitChain(dispatched.id(), FlowStatus.COMPLETED);

		assertThat(this.ran).containsExactly("add 1", "add 2", "add 3");
		assertThat(done.step()).isEqualTo(3);
		assertThat(done.jobIds()).hasSize(3);
		assertThat(this.queue.get(done.jobIds().get(2)).orElseThrow().result()).isEqualTo("{\"value\":6}");
		assertThat(this.flows.stepResult(done.id(), 2)).contains("{\"value\":3}");
	}

	@Test
	void aChainWhoseMiddleStepDiesStopsThereAndSaysWhichStepAndWhy() {
		start(worker());
		ChainStatus chain = this.flows.chain().add("step", new Step("a")).add("fail", new Step("b"))
			.add("step", new Step("c")).dispatch();

		ChainStatus failed = awaitChain(chain.id(), FlowStatus.FAILED);

		assertThat(failed.failedStep()).isEqualTo(2);
		assertThat(failed.error()).isEqualTo("step b cannot work");
		assertThat(this.queue.get(failed.jobIds().get(1)).orElseThrow().state()).isEqualTo(JobState.DEAD);
		assertThat(this.ran).containsExactly("step a", "fail b", "fail b");
		assertThat(this.queue.stats().pending() + this.queue.stats().scheduled()).isZero();
	}

	@Test
	void cancellingAChainWhileItsStepRunsStopsTheStepAndEnqueuesNoMore() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		start(worker().handle("slow", Step.class, (step, ctx) -> {
			running.countDown();
			while (!ctx.shouldStop()) {
				Thread.sleep(20);
			}
			ctx.stopIfRequested();
		}));
		ChainStatus chain = this.flows.chain().add("step", new Step("a")).add("slow", new Step("b"))
			.add("step", new Step("c")).dispatch();
		assertThat(running.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

		assertThat(this.flows.cancel(chain.id())).isEqualTo(CancelResult.CANCELLED);

		ChainStatus cancelled = awaitChain(chain.id(), FlowStatus.CANCELLED);
		String slowStep = cancelled.jobIds().get(1);
		awaitState(slowStep, JobState.CANCELLED);
		assertThat(cancelled.failedStep()).isZero();
		assertThat(this.ran).containsExactly("step a");
		assertThat(this.queue.stats().pending() + this.queue.stats().scheduled()).isZero();
	}

	@Test
	void cancellingAChainCancelsTheBatchStepItHasNotReachedYet() {
		Batch later = this.flows.batch().onComplete(Job.of("callback", new Step("complete")))
			.add("step", new Step("x")).add("step", new Step("y"));
		ChainStatus chain = this.flows.chain().add(Job.of("step", new Step("a"))).add(later).dispatch();

		assertThat(this.flows.cancel(chain.id())).isEqualTo(CancelResult.CANCELLED);

		BatchStatus batch = this.flows.batchStatus(chain.id() + ":2").orElseThrow();
		assertThat(batch.status()).isEqualTo(FlowStatus.CANCELLED);
		assertThat(batch.cancelled()).isEqualTo(2);
		assertThat(batch.pending()).isZero();
		assertThat(this.queue.get(chain.id() + ":1").orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		start(worker());
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.ran).isEmpty());
	}

	@Test
	void aBatchCountsItsMembersAndFiresOnSuccessAndOnCompleteOnce() {
		Batch batch = this.flows.batch().onSuccess(Job.of("callback", new Step("success")))
			.onFailure(Job.of("callback", new Step("failure"))).onComplete(Job.of("callback", new Step("complete")));
		for (int i = 0; i < 50; i++) {
			batch.add("step", new Step("m" + i));
		}
		BatchStatus dispatched = batch.dispatch();
		assertThat(dispatched.pending()).isEqualTo(50);
		start(worker());

		BatchStatus done = awaitBatch(dispatched.id(), FlowStatus.SUCCEEDED);

		assertThat(done.successful()).isEqualTo(50);
		assertThat(done.failed()).isZero();
		await().untilAsserted(() -> assertThat(this.ran).contains("callback success", "callback complete"));
		assertThat(this.ran).doesNotContain("callback failure");
		assertThat(this.queue.get(dispatched.id() + ":on_success").orElseThrow().state()).isEqualTo(JobState.COMPLETED);
	}

	@Test
	void withoutAllowFailuresTheFirstDeadMemberFailsTheBatchAndCancelsTheWaitingMembers() {
		Batch batch = this.flows.batch().onSuccess(Job.of("callback", new Step("success")))
			.onFailure(Job.of("callback", new Step("failure"))).add("fail", new Step("bad"));
		for (int i = 0; i < 20; i++) {
			batch.add(Job.of("step", new Step("m" + i)).withDelay(Duration.ofMinutes(10)));
		}
		BatchStatus dispatched = batch.dispatch();
		start(worker());

		BatchStatus failed = awaitBatch(dispatched.id(), FlowStatus.FAILED);

		assertThat(failed.failed()).isEqualTo(1);
		assertThat(failed.cancelled()).isEqualTo(20);
		assertThat(failed.pending()).isZero();
		assertThat(this.queue.get(dispatched.id() + ":2").orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		await().untilAsserted(() -> assertThat(this.ran).contains("callback failure"));
		assertThat(this.ran).doesNotContain("callback success");
		assertThat(this.ran.stream().filter("callback failure"::equals)).hasSize(1);
	}

	@Test
	void withAllowFailuresTheBatchRunsToTheEndAndFailsThen() {
		Batch batch = this.flows.batch().allowFailures().onFailure(Job.of("callback", new Step("failure")))
			.onComplete(Job.of("callback", new Step("complete")));
		batch.add("fail", new Step("bad"));
		for (int i = 0; i < 20; i++) {
			batch.add("step", new Step("m" + i));
		}
		BatchStatus dispatched = batch.dispatch();
		assertThat(dispatched.allowFailures()).isTrue();
		start(worker());

		BatchStatus done = awaitBatch(dispatched.id(), FlowStatus.FAILED);

		assertThat(done.successful()).isEqualTo(20);
		assertThat(done.failed()).isEqualTo(1);
		assertThat(done.cancelled()).isZero();
		await().untilAsserted(() -> assertThat(this.ran).contains("callback failure", "callback complete"));
	}

	@Test
	void chainsAsBatchMembersAndABatchAsAChainStep() {
		start(worker());
		Batch inner = this.flows.batch().add("step", new Step("x")).add("step", new Step("y"))
			.add(this.flows.chain().add("step", new Step("x1")).add("step", new Step("x2")));
		ChainStatus chain = this.flows.chain().add("step", new Step("first")).add(inner).add("step", new Step("last"))
			.dispatch();

		awaitChain(chain.id(), FlowStatus.COMPLETED);

		assertThat(this.ran.get(0)).isEqualTo("step first");
		assertThat(this.ran.subList(1, 5)).containsExactlyInAnyOrder("step x", "step y", "step x1", "step x2");
		assertThat(this.ran.indexOf("step x1")).isLessThan(this.ran.indexOf("step x2"));
		assertThat(this.ran.get(5)).isEqualTo("step last");
		assertThat(this.flows.batchStatus(chain.id() + ":2").orElseThrow().status()).isEqualTo(FlowStatus.SUCCEEDED);
	}

	@Test
	void aBatchOfChainsFailsWhenOneOfItsChainsFails() {
		start(worker());
		BatchStatus batch = this.flows.batch().onFailure(Job.of("callback", new Step("failure")))
			.add(this.flows.chain().add("step", new Step("a1")).add("fail", new Step("a2")).add("step", new Step("a3")))
			.dispatch();

		awaitBatch(batch.id(), FlowStatus.FAILED);

		assertThat(this.flows.chainStatus(batch.id() + ":1").orElseThrow().status()).isEqualTo(FlowStatus.FAILED);
		await().untilAsserted(() -> assertThat(this.ran).contains("callback failure"));
		assertThat(this.ran).doesNotContain("step a3");
	}

	@Test
	void aStepStartedAndCancelledByOneSettleHasItsCreationThenItsCancellationInItsEvents() {
		RedisEventStore events = RedisEventStore.of(redis.server().client(), "jobqueue", List.of("flows"));
		BatchStatus batch = this.flows.batch()
			.add(this.flows.chain().add("step", new Step("a1")).add("step", new Step("a2")))
			.add("fail", new Step("bad"))
			.dispatch();
		List<LeasedJob> leased = this.queue.store().lease(10, false).jobs();
		LeasedJob first = leased.stream().filter((job) -> job.job().type().equals("step")).findFirst().orElseThrow();
		LeasedJob bad = leased.stream().filter((job) -> job.job().type().equals("fail")).findFirst().orElseThrow();

		// One call: a1's skip starts step a2, then bad's death fails the batch, which cancels its chain and so a2.
		SettleResult result = this.queue.store().settle(List.of(
				new Settlement(first, new Outcome.Skipped("{\"why\":\"done already\"}")),
				new Settlement(bad, new Outcome.Dead(new JobError("broken", "test", "", "test")))));

		assertThat(result.settled()).containsExactly(true, true);
		awaitBatch(batch.id(), FlowStatus.FAILED);
		String second = events.recentEvents(50).stream()
			.filter((event) -> event.kind().equals(JobEvent.CREATED) && "step".equals(event.jobType())
					&& !event.jobId().equals(first.id()))
			.map(JobEvent::jobId).findFirst().orElseThrow();
		assertThat(this.queue.get(second).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		assertThat(events.jobEvents(second)).extracting(JobEvent::kind).containsExactly(JobEvent.CREATED,
				JobEvent.CANCELLED);
	}

	@Test
	void cancellingABatchCancelsItsWaitingMembersAndFiresNoCallback() {
		Batch batch = this.flows.batch().onComplete(Job.of("callback", new Step("complete")));
		for (int i = 0; i < 10; i++) {
			batch.add("step", new Step("m" + i));
		}
		BatchStatus dispatched = batch.dispatch();

		assertThat(this.flows.cancel(dispatched.id())).isEqualTo(CancelResult.CANCELLED);

		BatchStatus cancelled = this.flows.batchStatus(dispatched.id()).orElseThrow();
		assertThat(cancelled.status()).isEqualTo(FlowStatus.CANCELLED);
		assertThat(cancelled.cancelled()).isEqualTo(10);
		start(worker());
		assertThat(this.queue.get(dispatched.id() + ":1").orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.ran).isEmpty());
	}

	@Test
	void aFlowIdCanBeDispatchedOnce() {
		this.flows.batch().id("nightly").add("step", new Step("a")).dispatch();

		org.assertj.core.api.Assertions.assertThatIllegalStateException()
			.isThrownBy(() -> this.flows.batch().id("nightly").add("step", new Step("b")).dispatch())
			.withMessageContaining("'nightly' already exists");
	}

	@Test
	void aFlowIdWithAControlCharacterIsRefusedBeforeItNamesAnyJob() {
		// Its jobs' ids begin with it, and grouped events separate ids with GS (byte 29).
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> this.flows.batch().id("nightly\u001d2"))
			.withMessageContaining("control characters");
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> this.flows.chain().id("nightly\u001e"))
			.withMessageContaining("control characters");
	}

	@Test
	void aUniqueKeyLetsOneOfTwentyConcurrentDispatchesThroughAndTheOthersLearnItsId() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(20);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<EnqueueResult>> results = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			int n = i;
			results.add(threads.submit(() -> {
				go.await();
				return this.flows.enqueueUnique(Job.of("step", new Step("u" + n)), "order:42");
			}));
		}
		go.countDown();
		Set<String> ids = ConcurrentHashMap.newKeySet();
		AtomicInteger created = new AtomicInteger();
		for (Future<EnqueueResult> result : results) {
			EnqueueResult one = result.get();
			ids.add(one.id());
			if (one.created()) {
				created.incrementAndGet();
			}
			else {
				assertThat(one.existing()).isEqualTo(JobState.PENDING);
			}
		}
		threads.shutdown();

		assertThat(created).hasValue(1);
		assertThat(ids).hasSize(1);
		assertThat(this.queue.stats().pending()).isEqualTo(1);
		start(worker());
		awaitState(ids.iterator().next(), JobState.COMPLETED);
		assertThat(this.flows.uniqueHolder("order:42")).isEmpty();
		assertThat(this.flows.enqueueUnique(Job.of("step", new Step("again")), "order:42").created()).isTrue();
	}

	@Test
	void aUniqueKeyIsReleasedWhenItsJobIsDeadLetteredOrCancelled() {
		EnqueueResult first = this.flows.enqueueUnique(Job.of("fail", new Step("a")), "k1");
		EnqueueResult waiting = this.flows.enqueueUnique(Job.of("step", new Step("b")).withDelay(Duration.ofHours(1)), "k2");
		assertThat(this.flows.enqueueUnique(Job.of("step", new Step("b2")), "k2").id()).isEqualTo(waiting.id());

		assertThat(this.queue.cancel(waiting.id())).isEqualTo(CancelResult.CANCELLED);
		start(worker());
		awaitState(first.id(), JobState.DEAD);

		assertThat(this.flows.uniqueHolder("k1")).isEmpty();
		assertThat(this.flows.uniqueHolder("k2")).isEmpty();
		assertThat(this.flows.enqueueUnique(Job.of("step", new Step("c")), "k1").created()).isTrue();
	}

	@Test
	void aJobUniqueUntilItStartsLetsTheNextOneWaitWhileItRuns() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		start(worker().handle("hold", Step.class, (step, ctx) -> {
			running.countDown();
			release.await();
		}));
		EnqueueResult first = this.flows.enqueueUnique(Job.of("hold", new Step("a")), "report", true);
		assertThat(running.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

		await().untilAsserted(() -> assertThat(this.flows.enqueueUnique(Job.of("step", new Step("b")), "report", true)
			.created()).isTrue());
		release.countDown();
		awaitState(first.id(), JobState.COMPLETED);
	}

	@Test
	void aPausedQueueLeasesNothingWhileJobsKeepArriving() {
		this.queue.pause();
		start(worker());
		Job job = Job.of("step", new Step("p"));
		this.queue.enqueue(job);

		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.queue.get(job.id()).orElseThrow().state()).isEqualTo(JobState.PENDING));
		assertThat(this.queue.isPaused()).isTrue();
		this.queue.resume();
		awaitState(job.id(), JobState.COMPLETED);
	}

	@Test
	void progressIsStoredWithItsMessage() throws Exception {
		CountDownLatch reported = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		start(worker().handle("report", Step.class, (step, ctx) -> {
			ctx.updateProgress(25, "Processing step 1");
			reported.countDown();
			release.await();
		}, HandlerOptions.DEFAULTS));
		Job job = Job.of("report", new Step("r"));
		this.queue.enqueue(job);
		assertThat(reported.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

		JobInfo info = this.queue.get(job.id()).orElseThrow();
		release.countDown();

		assertThat(info.progress()).isEqualTo(25);
		assertThat(info.progressMessage()).isEqualTo("Processing step 1");
	}

	@Test
	void aRevivedDeadMemberRejoinsItsRunningBatchWhichThenSucceeds() throws Exception {
		AtomicBoolean broken = new AtomicBoolean(true);
		CountDownLatch release = new CountDownLatch(1);
		start(worker().handle("flaky", Step.class, (step, ctx) -> {
			this.ran.add("flaky " + step.name());
			if (broken.get()) {
				throw new IllegalStateException("flaky " + step.name() + " is broken");
			}
		}).handle("gate", Step.class, (step, ctx) -> release.await()));
		BatchStatus batch = this.flows.batch().allowFailures().onSuccess(Job.of("callback", new Step("success")))
			.onFailure(Job.of("callback", new Step("failure"))).add("flaky", new Step("f")).add("gate", new Step("g"))
			.dispatch();
		String flaky = batch.id() + ":1";
		awaitState(flaky, JobState.DEAD);
		assertThat(this.flows.batchStatus(batch.id()).orElseThrow()).satisfies((status) -> {
			assertThat(status.failed()).isEqualTo(1);
			assertThat(status.pending()).isEqualTo(1);
		});

		broken.set(false);
		assertThat(this.queue.deadLetters().retry(flaky)).isTrue();
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			BatchStatus status = this.flows.batchStatus(batch.id()).orElseThrow();
			assertThat(status.failed()).isZero();
			assertThat(status.successful()).isEqualTo(1);
			assertThat(status.pending()).isEqualTo(1);
		});
		release.countDown();

		BatchStatus done = awaitBatch(batch.id(), FlowStatus.SUCCEEDED);
		assertThat(done.successful()).isEqualTo(2);
		await().untilAsserted(() -> assertThat(this.ran).contains("callback success"));
		assertThat(this.ran).doesNotContain("callback failure");
	}

	@Test
	void aMemberRevivedAfterItsBatchFailedRunsAloneAndTheBatchStaysAsItEnded() {
		AtomicBoolean broken = new AtomicBoolean(true);
		start(worker().handle("flaky", Step.class, (step, ctx) -> {
			this.ran.add("flaky " + step.name());
			if (broken.get()) {
				throw new IllegalStateException("flaky " + step.name() + " is broken");
			}
		}));
		BatchStatus batch = this.flows.batch().onSuccess(Job.of("callback", new Step("success")))
			.onFailure(Job.of("callback", new Step("failure"))).add("flaky", new Step("f")).dispatch();
		awaitBatch(batch.id(), FlowStatus.FAILED);
		await().untilAsserted(() -> assertThat(this.ran).contains("callback failure"));

		broken.set(false);
		assertThat(this.queue.deadLetters().retry(batch.id() + ":1")).isTrue();
		awaitState(batch.id() + ":1", JobState.COMPLETED);

		BatchStatus after = this.flows.batchStatus(batch.id()).orElseThrow();
		assertThat(after.status()).isEqualTo(FlowStatus.FAILED);
		assertThat(after.failed()).isEqualTo(1);
		assertThat(after.pending()).isZero();
		assertThat(this.ran).containsOnlyOnce("callback failure").doesNotContain("callback success");
	}

	@Test
	void revivingTheDeadStepOfAFailedChainResumesTheChain() {
		AtomicBoolean broken = new AtomicBoolean(true);
		start(worker().handle("flaky", Step.class, (step, ctx) -> {
			this.ran.add("flaky " + step.name());
			if (broken.get()) {
				throw new IllegalStateException("flaky " + step.name() + " is broken");
			}
		}));
		ChainStatus chain = this.flows.chain().add("step", new Step("a")).add("flaky", new Step("b"))
			.add("step", new Step("c")).dispatch();
		ChainStatus failed = awaitChain(chain.id(), FlowStatus.FAILED);
		assertThat(failed.failedStep()).isEqualTo(2);

		broken.set(false);
		assertThat(this.queue.deadLetters().retry(chain.id() + ":2")).isTrue();

		ChainStatus done = awaitChain(chain.id(), FlowStatus.COMPLETED);
		assertThat(done.failedStep()).isZero();
		assertThat(done.error()).isNull();
		assertThat(this.ran).containsSubsequence("step a", "flaky b", "step c");
		assertThat(this.ran).containsOnlyOnce("step c");
	}

	@Test
	void failingABigBatchCancelsItsWaitingMembersInChunksAndNoneOfThemStarts() throws Exception {
		int members = Integer.getInteger("flows.bigBatch", 5_000);
		// A queue of its own: no worker of an earlier test still stopping can take a member.
		this.queue = new RedisJobQueue(redis.server().client(), "flows-big", this.queue.options());
		this.flows = new Flows(this.queue);
		Batch batch = this.flows.batch().onFailure(Job.of("callback", new Step("failure")))
			.add(Job.of("fail", new Step("bad")).withMaxRetries(0).withPriority(10));
		// Delayed: a member leased while the dead member's outcome was on its way would rightly run.
		for (int i = 0; i < members; i++) {
			batch.add(Job.of("step", new Step("m" + i)).withDelay(Duration.ofHours(1)));
		}
		try (Jedis admin = new Jedis(redis.server().host(), redis.server().port(), 30_000)) {
			BatchStatus dispatched = batch.dispatch();
			admin.configSet("slowlog-log-slower-than", "1000");
			admin.configSet("slowlog-max-len", "10000");
			admin.slowlogReset();
			start(worker().concurrency(1));

			await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
				BatchStatus status = this.flows.batchStatus(dispatched.id()).orElseThrow();
				assertThat(status.status()).isEqualTo(FlowStatus.FAILED);
				assertThat(status.pending()).isZero();
				assertThat(status.cancelled()).as("%s, ran %s", status, this.ran.size() < 20 ? this.ran : this.ran.size()).isEqualTo(members);
			});
			await().untilAsserted(() -> assertThat(this.ran).contains("callback failure"));
			assertThat(this.ran).containsExactlyInAnyOrder("fail bad", "callback failure");
			assertThat(redis.server().client().exists(this.queue.store().keys().key("cancelling"))).isFalse();
			List<String> longest = admin.slowlogGet(10_000).stream()
				.filter((entry) -> entry.getArgs().get(0).equalsIgnoreCase("evalsha"))
				.sorted(java.util.Comparator.comparingLong((entry) -> -entry.getExecutionTime())).limit(5)
				.map((entry) -> entry.getExecutionTime() + " us (" + entry.getArgs().get(2) + " keys)").toList();
			System.out.println("Longest script calls while failing a batch of " + members + " members: " + longest);
			admin.configSet("slowlog-log-slower-than", "10000");
		}
	}

	private ChainStatus awaitChain(String id, FlowStatus status) {
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(this.flows.chainStatus(id))
			.hasValueSatisfying((chain) -> assertThat(chain.status()).isEqualTo(status)));
		return this.flows.chainStatus(id).orElseThrow();
	}

	private BatchStatus awaitBatch(String id, FlowStatus status) {
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(this.flows.batchStatus(id))
			.hasValueSatisfying((batch) -> assertThat(batch.status()).isEqualTo(status)));
		return this.flows.batchStatus(id).orElseThrow();
	}

	private JobInfo awaitState(String id, JobState state) {
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(this.queue.get(id))
			.hasValueSatisfying((info) -> assertThat(info.state()).isEqualTo(state)));
		return this.queue.get(id).orElseThrow();
	}

}
