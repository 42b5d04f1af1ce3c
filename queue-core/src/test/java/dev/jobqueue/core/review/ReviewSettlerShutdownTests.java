package dev.jobqueue.core.review;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Review of issue 8: a worker stopped while Redis is unreachable must not leave its outcome-writing thread
 * behind. {@code Settler.stop} interrupts the thread, whose back-off sleep then swallows the interrupt and
 * sets it again: with outcomes still unwritten, the loop retries at once, forever (until ten minutes past the
 * lease), burning a core.
 */
class ReviewSettlerShutdownTests {

	record Email(String to) {
	}

	@Test
	void aWorkerStoppedDuringARedisOutageLeavesNoThreadBehind() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.create().start()) {
			RedisJobQueue queue = new RedisJobQueue(server.client(), "review-settler",
					QueueOptions.defaults().withLeaseDuration(Duration.ofSeconds(30)));
			CountDownLatch started = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			Worker worker = Worker.builder(queue).handle("send_email", Email.class, (email, ctx) -> {
				started.countDown();
				release.await(60, TimeUnit.SECONDS);
			}).build().start();
			queue.enqueue(Job.of("send_email", new Email("a@example.com")));
			assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

			server.kill();
			release.countDown();
			worker.stop(Duration.ofSeconds(5));

			ThreadMXBean threads = ManagementFactory.getThreadMXBean();
			try {
				await().atMost(Duration.ofSeconds(20)).until(() -> settlerThread() == null);
			}
			finally {
				Thread left = settlerThread();
				if (left != null) {
					long before = threads.getThreadCpuTime(left.getId());
					Thread.sleep(2_000);
					System.out.printf("review: %s still alive, %d ms of CPU in 2 s%n", left.getName(),
							(threads.getThreadCpuTime(left.getId()) - before) / 1_000_000);
				}
			}
		}
	}

	private static Thread settlerThread() {
		return Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> thread.getName().equals("jobqueue-review-settler-settle") && thread.isAlive())
			.findFirst()
			.orElse(null);
	}

}
