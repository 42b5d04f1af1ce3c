package dev.jobqueue.core.dlq;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.Retention;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterQueueTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	record Payment(String id) {
	}

	private RedisJobQueue queue;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.queue = new RedisJobQueue(redis.server().client(), "payments");
	}

	@Test
	void anEntryCarriesTheJobErrorStackTraceTimeAttemptsAndWorker() {
		Instant before = Instant.now().minusSeconds(1);
		kill("p1", "card declined");

		DeadLetter letter = this.queue.deadLetters().get("p1").orElseThrow();
		assertThat(letter.job().payloadAs(Payment.class)).isEqualTo(new Payment("p1"));
		assertThat(letter.message()).isEqualTo("card declined");
		assertThat(letter.error().exceptionType()).isEqualTo("java.lang.IllegalStateException");
		assertThat(letter.stackTrace()).contains("at dev.jobqueue");
		assertThat(letter.workerId()).isEqualTo("worker-1");
		assertThat(letter.attempts()).isEqualTo(1);
		assertThat(letter.failedAt()).isAfter(before);
		assertThat(this.queue.get("p1").orElseThrow().state()).isEqualTo(JobState.DEAD);
	}

	@Test
	void listsEntriesNewestFirstByRank() {
		kill("p1", "one");
		kill("p2", "two");
		kill("p3", "three");

		assertThat(this.queue.deadLetters().size()).isEqualTo(3);
		assertThat(this.queue.deadLetters().get(0, -1)).extracting(DeadLetter::id).containsExactly("p3", "p2", "p1");
		assertThat(this.queue.deadLetters().get(1, 1)).extracting(DeadLetter::id).containsExactly("p2");
		assertThat(this.queue.deadLetters().get("nope")).isEmpty();
	}

	@Test
	void retryPutsAJobBackWithAFreshRetryBudget() {
		kill("p1", "boom");

		assertThat(this.queue.deadLetters().retry("p1")).isTrue();
		assertThat(this.queue.deadLetters().retry("p1")).isFalse();

		assertThat(this.queue.deadLetters().size()).isZero();
		LeasedJob again = this.queue.dequeue(Duration.ZERO).orElseThrow();
		assertThat(again.id()).isEqualTo("p1");
		assertThat(again.failures()).isZero();
		assertThat(again.attempt()).isEqualTo(2);
	}

	@Test
	void retryAllAndPurgeHandleEveryEntry() {
		for (int i = 0; i < 25; i++) {
			kill("p" + i, "boom");
		}
		assertThat(this.queue.deadLetters().retryAll()).isEqualTo(25);
		assertThat(this.queue.size()).isEqualTo(25);

		for (int i = 0; i < 25; i++) {
			LeasedJob job = this.queue.dequeue(Duration.ZERO).orElseThrow();
			this.queue.settle(job, new Outcome.Dead(new JobError("again", null, null, null)));
		}
		assertThat(this.queue.deadLetters().delete("p0")).isTrue();
		assertThat(this.queue.deadLetters().purge()).isEqualTo(24);
		assertThat(this.queue.deadLetters().size()).isZero();
		assertThat(this.queue.get("p1")).isEmpty();
	}

	@Test
	void keepsOnlyTheNewestEntriesWithinTheCountLimit() {
		this.queue = new RedisJobQueue(redis.server().client(), "payments",
				QueueOptions.defaults().withDeadRetention(new Retention(3, Duration.ofDays(1))));
		for (int i = 1; i <= 5; i++) {
			kill("p" + i, "boom " + i);
		}

		assertThat(this.queue.deadLetters().get(0, -1)).extracting(DeadLetter::id).containsExactly("p5", "p4", "p3");
		// What falls out of retention leaves no trace in Redis.
		assertThat(this.queue.get("p1")).isEmpty();
		assertThat(redis.server().client().hexists(this.queue.keys().key("errors"), "p1")).isFalse();
	}

	@Test
	void dropsEntriesOlderThanTheAgeLimit() {
		this.queue = new RedisJobQueue(redis.server().client(), "payments",
				QueueOptions.defaults().withDeadRetention(new Retention(100, Duration.ofSeconds(2))));
		kill("old", "boom");
		long diedAt = this.queue.deadLetters().get("old").orElseThrow().failedAt().toEpochMilli();
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> redis.server().timeMillis() > diedAt + 2_000);

		// Dead-lettering applies the retention in the same script: the new dead letter stays, the old one goes.
		kill("new", "boom");

		assertThat(this.queue.deadLetters().get(0, -1)).extracting(DeadLetter::id).containsExactly("new");
		assertThat(this.queue.get("old")).isEmpty();
	}

	private void kill(String id, String message) {
		this.queue.enqueue(Job.of("charge", new Payment(id)).withId(id));
		LeasedJob leased = this.queue.dequeue(Duration.ZERO).orElseThrow();
		IllegalStateException failure = new IllegalStateException(message);
		java.io.StringWriter trace = new java.io.StringWriter();
		failure.printStackTrace(new java.io.PrintWriter(trace));
		assertThat(this.queue.settle(leased, new Outcome.Dead(new JobError(message, failure.getClass().getName(),
				trace.toString(), "worker-1")))).isTrue();
	}

}
