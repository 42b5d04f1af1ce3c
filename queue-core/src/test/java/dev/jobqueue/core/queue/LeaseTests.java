package dev.jobqueue.core.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.monitor.JobPage;
import dev.jobqueue.core.monitor.QueueBrowser;
import dev.jobqueue.test.RedisServerExtension;

import static dev.jobqueue.core.queue.RedisJobQueueTests.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LeaseTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private RedisJobQueue queue;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.queue = new RedisJobQueue(redis.server().client(), "leases",
				QueueOptions.defaults().withLeaseDuration(Duration.ofMillis(300)).withMaxStalls(2));
	}

	@Test
	void anExpiredLeaseIsReclaimedAndTheJobRunsAgainAsTheNextAttempt() {
		this.queue.enqueue(job("j1", 0));
		LeasedJob first = this.queue.dequeue(Duration.ZERO).orElseThrow();

		await().atMost(Duration.ofSeconds(3)).until(() -> !this.queue.store().reap(100).isEmpty());

		JobInfo info = this.queue.get("j1").orElseThrow();
		assertThat(info.state()).isEqualTo(JobState.PENDING);
		assertThat(info.stalls()).isEqualTo(1);
		LeasedJob second = this.queue.dequeue(Duration.ZERO).orElseThrow();
		assertThat(second.id()).isEqualTo("j1");
		assertThat(second.attempt()).isEqualTo(2);
		assertThat(second.token()).isGreaterThan(first.token());
	}

	@Test
	void heldLeasesAreKeptInAHashtableAndTheLastOneToEndLeavesNoKey() {
		this.queue.enqueue(job("j1", 0));
		this.queue.enqueue(job("j2", 0));
		LeasedJob first = this.queue.dequeue(Duration.ZERO).orElseThrow();
		LeasedJob second = this.queue.dequeue(Duration.ZERO).orElseThrow();
		String leases = this.queue.keys().key("leases");

		// A listpack would be searched linearly by every lease, settle and heartbeat.
		assertThat(redis.server().client().objectEncoding(leases)).isEqualTo("hashtable");
		assertThat(this.queue.settle(first, new Outcome.Completed(null))).isTrue();
		assertThat(redis.server().client().exists(leases)).isTrue();
		assertThat(this.queue.settle(second, new Outcome.Retry(Duration.ofMinutes(1), new JobError("x", null, null, null))))
			.isTrue();
		assertThat(redis.server().client().exists(leases)).isFalse();
	}

	@Test
	void runningJobsAreKeptInASkiplistThatCountsAndListsOnlyThemAndTheLastOneToEndLeavesNoKey() {
		for (int i = 1; i <= 3; i++) {
			this.queue.enqueue(job("j" + i, 0));
		}
		List<LeasedJob> leased = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			leased.add(this.queue.dequeue(Duration.ZERO).orElseThrow());
		}
		String active = this.queue.keys().key("active");

		// A listpack would be searched linearly each time a lease adds its deadline.
		assertThat(redis.server().client().objectEncoding(active)).isEqualTo("skiplist");
		assertThat(this.queue.stats().active()).isEqualTo(3);
		QueueBrowser browser = new QueueBrowser(this.queue);
		for (boolean newestFirst : List.of(true, false)) {
			assertThat(browser.page(JobState.ACTIVE, 0, 10, newestFirst).total()).isEqualTo(3);
			assertThat(browser.page(JobState.ACTIVE, 0, 10, newestFirst).entries()).extracting(JobPage.Entry::id)
				.containsExactlyInAnyOrder("j1", "j2", "j3");
			assertThat(browser.page(JobState.ACTIVE, 2, 10, newestFirst).entries()).hasSize(1);
			assertThat(browser.page(JobState.ACTIVE, 3, 10, newestFirst).entries()).isEmpty();
		}
		assertThat(this.queue.settle(leased.get(0), new Outcome.Completed(null))).isTrue();
		assertThat(this.queue.settle(leased.get(1), new Outcome.Retry(Duration.ofMinutes(1), new JobError("x", null, null, null))))
			.isTrue();
		assertThat(redis.server().client().exists(active)).isTrue();
		assertThat(this.queue.settle(leased.get(2), new Outcome.Dead(new JobError("x", null, null, null)))).isTrue();
		assertThat(redis.server().client().exists(active)).isFalse();
		assertThat(this.queue.stats().active()).isZero();
	}

	@Test
	void leasesGrantedBeforeTheyWerePinnedStillHoldWhenAllButOneEnd() {
		this.queue.enqueue(job("j1", 0));
		this.queue.enqueue(job("j2", 0));
		LeasedJob first = this.queue.dequeue(Duration.ZERO).orElseThrow();
		LeasedJob second = this.queue.dequeue(Duration.ZERO).orElseThrow();
		// As a worker of the previous version leaves them: leases and no pin.
		redis.server().client().hdel(this.queue.keys().key("leases"), "");

		assertThat(this.queue.settle(first, new Outcome.Completed(null))).isTrue();
		assertThat(this.queue.settle(second, new Outcome.Completed(null))).isTrue();
	}

	@Test
	void aStaleAckIsRefusedAndTheCurrentHolderStillCompletes() {
		this.queue.enqueue(job("j1", 0));
		LeasedJob stale = this.queue.dequeue(Duration.ZERO).orElseThrow();
		await().atMost(Duration.ofSeconds(3)).until(() -> !this.queue.store().reap(100).isEmpty());
		LeasedJob current = this.queue.dequeue(Duration.ZERO).orElseThrow();

		assertThat(this.queue.settle(stale, new Outcome.Completed(null))).isFalse();
		assertThat(this.queue.settle(stale, new Outcome.Retry(Duration.ZERO, new JobError("late", null, null, null)))).isFalse();
		assertThat(this.queue.settle(stale, new Outcome.Dead(new JobError("late", null, null, null)))).isFalse();
		assertThat(this.queue.store().extend(List.of(stale)).lost()).containsExactly(stale.id());
		assertThat(this.queue.store().updateProgress(stale, 99)).isFalse();
		assertThat(this.queue.get("j1").orElseThrow().state()).isEqualTo(JobState.ACTIVE);

		assertThat(this.queue.settle(current, new Outcome.Completed(null))).isTrue();
		assertThat(this.queue.get("j1").orElseThrow().state()).isEqualTo(JobState.COMPLETED);
		assertThat(this.queue.get("j1").orElseThrow().progress()).isNull();
	}

	@Test
	void anAckAfterTheLeaseWasReclaimedButBeforeRedeliveryIsRefused() {
		this.queue.enqueue(job("j1", 0));
		LeasedJob stale = this.queue.dequeue(Duration.ZERO).orElseThrow();
		await().atMost(Duration.ofSeconds(3)).until(() -> !this.queue.store().reap(100).isEmpty());

		assertThat(this.queue.settle(stale, new Outcome.Completed(null))).isFalse();
		assertThat(this.queue.get("j1").orElseThrow().state()).isEqualTo(JobState.PENDING);
	}

	@Test
	void aHeartbeatKeepsTheLeaseAlive() {
		this.queue.enqueue(job("j1", 0));
		LeasedJob leased = this.queue.dequeue(Duration.ZERO).orElseThrow();
		long threeLeasesLater = System.nanoTime() + Duration.ofMillis(900).toNanos();

		// A heartbeat every 100 ms for three lease lengths: the reaper never finds the lease expired.
		await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5)).until(() -> {
			assertThat(this.queue.store().extend(List.of(leased)).lost()).isEmpty();
			assertThat(this.queue.store().reap(100).isEmpty()).isTrue();
			return System.nanoTime() > threeLeasesLater;
		});
		assertThat(this.queue.settle(leased, new Outcome.Completed(null))).isTrue();
	}

	@Test
	void reapersRacingEachOtherReclaimEachJobOnce() throws Exception {
		for (int i = 0; i < 200; i++) {
			this.queue.enqueue(job("j" + i, 0));
		}
		assertThat(this.queue.store().lease(200, false).jobs()).hasSize(200);
		java.time.Instant deadline = this.queue.get("j0").orElseThrow().stateAt();
		await().atMost(Duration.ofSeconds(3)).until(() -> this.queue.store().lease(1, false).now().isAfter(deadline));

		ExecutorService reapers = Executors.newFixedThreadPool(4);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<ReapResult>> results = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			RedisJobQueue reaper = new RedisJobQueue(redis.server().client(), "leases", this.queue.options());
			results.add(reapers.submit(() -> {
				go.await();
				List<String> mine = new ArrayList<>();
				ReapResult result;
				while (!(result = reaper.store().reap(7)).isEmpty()) {
					mine.addAll(result.reclaimed());
				}
				return new ReapResult(mine, List.of(), List.of());
			}));
		}
		go.countDown();
		List<String> reclaimed = new ArrayList<>();
		for (Future<ReapResult> result : results) {
			reclaimed.addAll(result.get().reclaimed());
		}
		reapers.shutdown();

		assertThat(reclaimed).hasSize(200).doesNotHaveDuplicates();
		assertThat(this.queue.stats().pending()).isEqualTo(200);
		assertThat(this.queue.stats().active()).isZero();
	}

	@Test
	void aJobThatKeepsKillingItsWorkerIsDeadLetteredAsAPoisonPill() {
		this.queue.enqueue(job("poison", 0));
		for (int i = 0; i < 2; i++) {
			this.queue.dequeue(Duration.ZERO).orElseThrow();
			await().atMost(Duration.ofSeconds(3)).until(() -> !this.queue.store().reap(100).reclaimed().isEmpty());
		}
		this.queue.dequeue(Duration.ZERO).orElseThrow();

		await().atMost(Duration.ofSeconds(3)).until(() -> !this.queue.store().reap(100).deadLettered().isEmpty());

		JobInfo info = this.queue.get("poison").orElseThrow();
		assertThat(info.state()).isEqualTo(JobState.DEAD);
		assertThat(info.stalls()).isEqualTo(3);
		assertThat(info.lastError().message()).contains("lease expired 3 times");
		assertThat(this.queue.deadLetters().get("poison")).isPresent();
	}

	@Test
	void releasedLeasesPutJobsBackAtTheFrontAtOnce() {
		this.queue.enqueue(job("first", 0));
		this.queue.enqueue(job("second", 0));
		LeasedJob first = this.queue.dequeue(Duration.ZERO).orElseThrow();

		assertThat(this.queue.settle(first, new Outcome.HandedBack(Duration.ZERO, false))).isTrue();

		assertThat(this.queue.dequeue(Duration.ZERO)).map(LeasedJob::id).contains("first");
		assertThat(this.queue.settle(first, new Outcome.HandedBack(Duration.ZERO, false))).isFalse();
	}

}
