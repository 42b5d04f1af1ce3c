package dev.jobqueue.core.review;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.CancelResult;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.Retention;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Review of issue 8: a tombstone is a flag per id, not a count per occurrence. Once retention has forgotten a
 * cancelled job whose id still sits in the ready list, the same id can be enqueued again; cancelling that one
 * too leaves two occurrences and one tombstone, so the second cancelled job runs.
 */
class ReviewTombstoneTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	record Report(String name) {
	}

	private RedisJobQueue queue;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.queue = new RedisJobQueue(redis.server().client(), "review-tombstones", QueueOptions.defaults()
			.withCompletedRetention(new Retention(1, Duration.ofDays(1)))
			.withIdempotencyWindow(Duration.ofMillis(1)));
	}

	@Test
	void aJobCancelledWhilePendingNeverRunsEvenWhenItsIdWasUsedBeforeAndCancelledToo() {
		Job first = Job.of("report", new Report("first")).withId("report-7");
		this.queue.enqueue(first);
		assertThat(this.queue.cancel("report-7")).isEqualTo(CancelResult.CANCELLED);
		// Another cancel pushes the first out of the cancelled retention (keeps 1): its data is forgotten.
		Job other = Job.of("report", new Report("other"));
		this.queue.enqueue(other);
		assertThat(this.queue.cancel(other.id())).isEqualTo(CancelResult.CANCELLED);

		Job again = Job.of("report", new Report("again")).withId("report-7");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.queue.enqueue(again).created());
		assertThat(this.queue.cancel("report-7")).isEqualTo(CancelResult.CANCELLED);

		List<String> ran = new CopyOnWriteArrayList<>();
		Worker worker = Worker.builder(this.queue)
			.handle("report", Report.class, (report, ctx) -> ran.add(ctx.jobId() + " " + report.name()))
			.build()
			.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.queue.stats().pending() == 0
					&& redis.server().client().llen(this.queue.keys().key("ready")) == 0);
			Job marker = Job.of("report", new Report("marker"));
			this.queue.enqueue(marker);
			await().atMost(Duration.ofSeconds(20)).until(() -> ran.contains(marker.id() + " marker"));
		}
		finally {
			worker.stop(Duration.ofSeconds(5));
		}
		assertThat(ran).noneMatch((entry) -> entry.startsWith("report-7"));
	}

}
