package dev.jobqueue.core.queue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.RedisProxy;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An enqueue whose reply is lost on the network after Redis ran it (a real connection cut by a proxy): the
 * queue sends it again with the same id, and the caller ends up with one job that runs once.
 */
class LostEnqueueReplyTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private RedisProxy proxy;

	private RedisClient throughProxy;

	private RedisJobQueue queue;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.proxy = RedisProxy.to(redis.server());
		this.throughProxy = RedisClient.builder().hostAndPort(this.proxy.hostAndPort())
			.clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(10_000).build()).build();
		this.queue = new RedisJobQueue(this.throughProxy, "lost-replies");
		// Loads the enqueue script, so the request whose reply is cut is the one that runs it.
		new RedisJobQueue(this.throughProxy, "warm-up").enqueue(Job.of("warm-up", Map.of()));
	}

	@AfterEach
	void tearDown() {
		this.throughProxy.close();
		this.proxy.close();
	}

	@Test
	void anEnqueueOfACallerChosenIdWhoseReplyWasLostCreatesOneJobThatRunsOnce() {
		Job job = Job.of("send-invoice", Map.of("order", 42)).withId("invoice-42");

		EnqueueResult result = enqueueLosingTheReply(job);

		assertThat(result.id()).isEqualTo("invoice-42");
		assertRunsOnce(job);
	}

	@Test
	void anEnqueueOfAGeneratedIdWhoseReplyWasLostCreatesOneJobThatRunsOnce() {
		Job job = Job.of("send-invoice", Map.of("order", 43));

		EnqueueResult result = enqueueLosingTheReply(job);

		assertThat(result).isEqualTo(EnqueueResult.created(job.id()));
		assertRunsOnce(job);
	}

	private EnqueueResult enqueueLosingTheReply(Job job) {
		this.proxy.cutNextReply(job.id());
		EnqueueResult result = this.queue.enqueue(job);
		assertThat(this.proxy.repliesCut()).as("the reply to the enqueue that ran was lost").isEqualTo(1);
		return result;
	}

	private void assertRunsOnce(Job job) {
		assertThat(this.queue.stats().pending()).isEqualTo(1);
		AtomicInteger runs = new AtomicInteger();
		try (Worker worker = Worker.builder(new RedisJobQueue(redis.server().client(), "lost-replies"))
			.handle("send-invoice", Map.class, (payload, ctx) -> runs.incrementAndGet())
			.build()
			.start()) {
			await().atMost(Duration.ofSeconds(30)).until(() -> this.queue.stats().completed() == 1);
		}
		assertThat(runs).hasValue(1);
		assertThat(this.queue.stats()).isEqualTo(new QueueStats(0, 0, 0, 1, 0, 0, 0, 0));
		assertThat(this.queue.get(job.id()).orElseThrow().attempts()).isEqualTo(1);
	}

}
