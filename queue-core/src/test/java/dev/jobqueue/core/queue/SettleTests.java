package dev.jobqueue.core.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.test.RedisServerExtension;

import static dev.jobqueue.core.queue.RedisJobQueueTests.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Settle's and lease's compact shapes: completions without result or effects travel as groups of ids under one
 * token, and a lease lists only the jobs that are not plain first attempts. What each attempt gets stays its own.
 */
class SettleTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private static final JobError ERROR = new JobError("broken", "test", "", "test");

	private RedisJobQueue queue;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.queue = queue(QueueOptions.defaults());
	}

	private RedisJobQueue queue(QueueOptions options) {
		return new RedisJobQueue(redis.server().client(), "settles", options.withLeaseDuration(Duration.ofMillis(300)));
	}

	@Test
	void aGroupOfCompletionsWithOneStaleTokenAmongFreshOnesRefusesJustThatOne() {
		// The hot path: completed jobs forgotten at once, their events told.
		this.queue = queue(QueueOptions.defaults().withCompletedRetention(Retention.NONE));
		for (String id : List.of("a", "b", "c", "d")) {
			this.queue.enqueue(job(id, 0));
		}
		List<LeasedJob> leased = this.queue.store().lease(4, false).jobs();
		LeasedJob b = leased.get(1);
		// b's lease ends and b is leased again: its first token is stale, under the same token as its neighbours.
		assertThat(this.queue.settle(b, new Outcome.HandedBack(Duration.ZERO, false))).isTrue();
		LeasedJob again = this.queue.store().lease(1, false).jobs().get(0);
		assertThat(again.id()).isEqualTo("b");

		SettleResult result = this.queue.store().settle(leased.stream().map(SettleTests::completed).toList());

		assertThat(result.settled()).containsExactly(true, false, true, true);
		assertThat(result.cancelled()).containsExactly(false, false, false, false);
		for (String id : List.of("a", "c", "d")) {
			assertThat(this.queue.get(id)).isEmpty();
		}
		assertThat(this.queue.get("b").orElseThrow().state()).isEqualTo(JobState.ACTIVE);
		assertThat(this.queue.settle(again, new Outcome.Completed(null))).isTrue();
		assertThat(this.queue.get("b")).isEmpty();
	}

	@Test
	void aStaleCompletionAmongInterleavedCompletionsOfThreeLeasesIsReportedForItsOwnAttempt() {
		for (String id : List.of("a", "b", "c")) {
			this.queue.enqueue(job(id, 0));
		}
		Map<String, LeasedJob> first = byId(this.queue.store().lease(2, false).jobs());
		LeasedJob c = this.queue.store().lease(1, false).jobs().get(0);
		assertThat(this.queue.settle(first.get("b"), new Outcome.HandedBack(Duration.ZERO, false))).isTrue();
		LeasedJob b = this.queue.store().lease(1, false).jobs().get(0);
		assertThat(b.id()).isEqualTo("b");

		// Grouped by lease, the stale completion of b travels second, before c's: its answer must come back to it.
		SettleResult result = this.queue.store().settle(List.of(completed(first.get("a")), completed(c),
				completed(first.get("b")), completed(b)));

		assertThat(result.settled()).containsExactly(true, true, false, true);
		for (String id : List.of("a", "b", "c")) {
			assertThat(this.queue.get(id).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
		}
	}

	@Test
	void aMixedCallSettlesEachAttemptAsItSaysAndAnswersInItsOrder() {
		for (String id : List.of("plain", "valued", "failed", "late", "plain2", "back1", "back2", "dead", "stopped", "other")) {
			this.queue.enqueue(job(id, 0));
		}
		Map<String, LeasedJob> first = byId(this.queue.store().lease(9, false).jobs());
		Map<String, LeasedJob> second = byId(this.queue.store().lease(1, false).jobs());
		// late's lease is taken over: its completion, between fresh ones, is refused.
		assertThat(this.queue.settle(first.get("late"), new Outcome.HandedBack(Duration.ZERO, false))).isTrue();
		this.queue.store().lease(1, false);
		// Its cancel requested while it ran: its retry ends it cancelled instead.
		this.queue.cancel("stopped");

		// Hand-backs newest first: back2, then back1, each goes to the front of the line in turn.
		SettleResult result = this.queue.store().settle(List.of(completed(first.get("plain")),
				completed(second.get("other")), new Settlement(first.get("valued"), new Outcome.Completed("{\"n\":1}")),
				new Settlement(first.get("back2"), new Outcome.HandedBack(Duration.ZERO, true)),
				completed(first.get("late")), new Settlement(first.get("failed"), new Outcome.Retry(Duration.ofMinutes(1), ERROR)),
				new Settlement(first.get("back1"), new Outcome.HandedBack(Duration.ZERO, true)), completed(first.get("plain2")),
				new Settlement(first.get("stopped"), new Outcome.Retry(Duration.ZERO, ERROR)),
				new Settlement(first.get("dead"), new Outcome.Dead(ERROR))));

		assertThat(result.settled()).containsExactly(true, true, true, true, false, true, true, true, true, true);
		assertThat(result.cancelled()).containsExactly(false, false, false, false, false, false, false, false, true, false);
		assertThat(this.queue.get("stopped").orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		for (String id : List.of("plain", "other", "plain2")) {
			JobInfo info = this.queue.get(id).orElseThrow();
			assertThat(info.state()).isEqualTo(JobState.COMPLETED);
			assertThat(info.result()).isNull();
		}
		assertThat(this.queue.get("valued").orElseThrow().result()).isEqualTo("{\"n\":1}");
		JobInfo failed = this.queue.get("failed").orElseThrow();
		assertThat(failed.state()).isEqualTo(JobState.RETRYING);
		assertThat(failed.failures()).isEqualTo(1);
		assertThat(this.queue.get("late").orElseThrow().state()).isEqualTo(JobState.ACTIVE);
		assertThat(this.queue.get("dead").orElseThrow().state()).isEqualTo(JobState.DEAD);
		assertThat(this.queue.store().lease(2, false).jobs()).extracting(LeasedJob::id).containsExactly("back1", "back2");
	}

	@Test
	void aLeaseTellsTheAttemptsFailuresAndSuspectOfTheJobsThatAreNotPlainFirstAttempts() {
		this.queue.enqueue(job("suspect", 0));
		LeasedJob stalled = this.queue.store().lease(1, false).jobs().get(0);
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.queue.store().reap(100).reclaimed().isEmpty());
		this.queue.enqueue(job("retried", 0));
		LeasedJob failing = this.queue.store().lease(1, false).jobs().get(0);
		assertThat(this.queue.settle(failing, new Outcome.Retry(Duration.ZERO, ERROR))).isTrue();
		for (String id : List.of("a", "b", "c")) {
			this.queue.enqueue(job(id, 0));
		}

		List<LeasedJob> leased = this.queue.store().lease(10, true).jobs();

		assertThat(leased).extracting(LeasedJob::id).containsExactly("suspect", "a", "b", "c", "retried");
		assertThat(leased).extracting(LeasedJob::attempt).containsExactly(2, 1, 1, 1, 2);
		assertThat(leased).extracting(LeasedJob::failures).containsExactly(0, 0, 0, 0, 1);
		assertThat(leased).extracting(LeasedJob::suspect).containsExactly(true, false, false, false, false);
		assertThat(leased).extracting(LeasedJob::position).containsExactly(0, 1, 2, 3, 4);
		assertThat(leased).allSatisfy((job) -> assertThat(job.token()).isGreaterThan(stalled.token()));
		assertThat(leased).allSatisfy((job) -> assertThat(job.job().attempts()).isEqualTo(job.attempt()));
		assertThat(leased.get(4).job().type()).isEqualTo("send_email");
	}

	@Test
	void aLeaseOfAJobWithoutDataAmongAPriorityJobARetriedJobAndASuspectTellsEachItsOwn() {
		this.queue.enqueue(job("suspect", 0));
		this.queue.store().lease(1, false);
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.queue.store().reap(100).reclaimed().isEmpty());
		this.queue.enqueue(job("retried", 0));
		LeasedJob failing = this.queue.store().lease(1, false).jobs().get(0);
		assertThat(this.queue.settle(failing, new Outcome.Retry(Duration.ZERO, ERROR))).isTrue();
		this.queue.enqueue(job("missing", 0));
		this.queue.enqueue(job("plain", 0));
		this.queue.enqueue(job("urgent", 5));
		// The job's data is gone (a partial restore, a hand-edited key): the lease says so for that job alone.
		redis.server().client().hdel(QueueKeys.of("jobqueue", "settles").key("jobs"), "missing");

		List<LeasedJob> leased = this.queue.store().lease(10, true).jobs();

		assertThat(leased).extracting(LeasedJob::id).containsExactly("suspect", "urgent", "missing", "plain", "retried");
		assertThat(leased).extracting(LeasedJob::attempt).containsExactly(2, 1, 1, 1, 2);
		assertThat(leased).extracting(LeasedJob::failures).containsExactly(0, 0, 0, 0, 1);
		assertThat(leased).extracting(LeasedJob::suspect).containsExactly(true, false, false, false, false);
		assertThat(leased).extracting(LeasedJob::isReadable).containsExactly(true, true, false, true, true);
		assertThat(leased.get(2).problem()).contains("missing");
		assertThat(leased.get(1).job().priority()).isEqualTo(5);
		SettleResult result = this.queue.store().settle(leased.stream().map(SettleTests::completed).toList());
		assertThat(result.settled()).containsOnly(true);
		for (String id : List.of("suspect", "urgent", "plain", "retried")) {
			assertThat(this.queue.get(id).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
		}
	}

	private static Settlement completed(LeasedJob lease) {
		return new Settlement(lease, new Outcome.Completed(null));
	}

	private static Map<String, LeasedJob> byId(List<LeasedJob> jobs) {
		return jobs.stream().collect(Collectors.toMap(LeasedJob::id, Function.identity()));
	}

}
