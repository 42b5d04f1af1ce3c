package dev.jobqueue.core.review;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.EnqueueResult;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review of issue 8: the enqueue combiner completes callers' futures on the thread that sends the batch,
 * while it holds the combiner's sending flag. A callback chained on {@code enqueueAsync} that enqueues again
 * (a follow-up job, the most natural thing to chain) then waits for a batch only it could send.
 */
class ReviewEnqueueCombinerTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	record Email(String to) {
	}

	private RedisJobQueue queue;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.queue = new RedisJobQueue(redis.server().client(), "review-combiner");
	}

	@Test
	void aFollowUpEnqueuedFromACallbackOfAnAsynchronousEnqueueIsStoredAndLeavesTheQueueUsable() throws Exception {
		// Writes wait a moment, so the callback is surely chained before the first enqueue completes.
		redis.server().client().sendCommand(Protocol.Command.CLIENT, "PAUSE", "1000", "WRITE");
		Job first = Job.of("send_email", new Email("first@example.com"));
		Job followUp = Job.of("send_email", new Email("follow-up@example.com"));
		CompletableFuture<EnqueueResult> chained = this.queue.enqueueAsync(first)
			.thenApply((created) -> this.queue.enqueue(followUp));

		Job unrelated = Job.of("send_email", new Email("unrelated@example.com"));
		CompletableFuture<EnqueueResult> other = CompletableFuture.supplyAsync(() -> {
			sleep(3_000);
			return this.queue.enqueue(unrelated);
		}, (task) -> {
			Thread thread = new Thread(task, "review-unrelated-caller");
			thread.setDaemon(true);
			thread.start();
		});

		assertThat(chained.get(30, TimeUnit.SECONDS).created()).isTrue();
		assertThat(other.get(30, TimeUnit.SECONDS).created()).isTrue();
		assertThat(this.queue.get(followUp.id())).isPresent();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
