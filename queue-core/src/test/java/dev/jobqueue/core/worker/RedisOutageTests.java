package dev.jobqueue.core.worker;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.Retention;
import dev.jobqueue.test.LocalRedisServer;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Redis goes away under a running worker and comes back: the worker survives and no job is lost. */
class RedisOutageTests {

	@RegisterExtension
	static RedisServerExtension redis = RedisServerExtension.withSettings((settings) -> settings.setting("appendfsync", "always"));

	record Task(int n) {
	}

	@Test
	void aWorkerRidesOutARedisRestartAndFinishesEveryJob() {
		LocalRedisServer server = redis.server();
		RedisJobQueue queue = new RedisJobQueue(server.client(), "outage",
				QueueOptions.defaults().withLeaseDuration(Duration.ofSeconds(1)).withCompletedRetention(new Retention(10_000, null)));
		Set<Integer> seen = ConcurrentHashMap.newKeySet();
		for (int i = 0; i < 200; i++) {
			queue.enqueue(Job.of("task", new Task(i)));
		}
		try (Worker worker = Worker.builder(queue).concurrency(4).handle("task", Task.class, (task, ctx) -> {
			seen.add(task.n());
			Thread.sleep(5);
		}).build().start()) {
			await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 40);

			server.stop();
			await().atMost(Duration.ofSeconds(5)).until(() -> !server.isRunning());
			server.start();

			await().atMost(Duration.ofSeconds(30)).until(() -> queue.stats().completed() == 200);
			assertThat(worker.isRunning()).isTrue();
		}
		assertThat(seen).hasSize(200);
		assertThat(queue.stats().active()).isZero();
		assertThat(queue.stats().pending()).isZero();
	}

}
