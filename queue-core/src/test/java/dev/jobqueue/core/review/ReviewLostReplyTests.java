package dev.jobqueue.core.review;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.EnqueueResult;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review of issue 8: an enqueue whose reply was lost is sent again with the same id, so no second job is
 * made; but for a caller-chosen id the retry finds the job its own first send created, and the caller is
 * told the id was already taken: a dispatcher reports its own job as a duplicate.
 */
class ReviewLostReplyTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	record Order(int number) {
	}

	@Test
	void anEnqueueWhoseFirstReplyWasLostStillSaysTheCallerCreatedTheJob() throws Exception {
		redis.server().flushAll();
		try (RedisClient impatient = RedisClient.builder().hostAndPort(redis.server().hostAndPort())
			.clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(1_000).build())
			.build()) {
			RedisJobQueue queue = new RedisJobQueue(impatient, "review-lost-reply");
			// Loads the scripts, so the first send is run rather than refused with NOSCRIPT.
			queue.enqueue(Job.of("ship", new Order(1)));
			queue.get("order-1");
			// Redis runs a 4 s script: the enqueue is read and run after it, but its reply comes too late and
			// the client sends it again.
			CompletableFuture<Object> busy = CompletableFuture.supplyAsync(() -> redis.server().client()
				.eval("local t = redis.call('TIME') local start = t[1] * 1000 + t[2] / 1000 local now = start "
						+ "while now - start < 4000 do t = redis.call('TIME') now = t[1] * 1000 + t[2] / 1000 end "
						+ "return 1"));
			Thread.sleep(1_000);
			Job order = Job.of("ship", new Order(42)).withId("order-42");

			EnqueueResult result = queue.enqueue(order);

			busy.get(30, TimeUnit.SECONDS);
			assertThat(redis.server().client().hlen(queue.keys().key("jobs"))).isEqualTo(2);
			assertThat(result.created()).as("the caller's own job, reported as %s", result).isTrue();
		}
	}

}
