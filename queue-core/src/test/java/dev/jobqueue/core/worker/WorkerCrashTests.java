package dev.jobqueue.core.worker;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.QueueStats;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.Retention;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A worker JVM is killed with SIGKILL in the middle of 2,000 jobs; another worker must finish every one. */
class WorkerCrashTests {

	static final String QUEUE = "crash";

	static final String RUNS = "crash-test:runs";

	static final int JOBS = 2_000;

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	static QueueOptions options() {
		return QueueOptions.defaults().withLeaseDuration(Duration.ofSeconds(1))
			.withCompletedRetention(new Retention(10_000, Duration.ofHours(1)));
	}

	@Test
	void aWorkerKilledMidRunLosesNoJob() throws Exception {
		RedisClient client = redis.server().client();
		RedisJobQueue queue = new RedisJobQueue(client, QUEUE, options());
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			jobs.add(Job.of("crunch", new CrashWorkerMain.Crunch(i)));
		}
		queue.enqueueAll(jobs);

		Process doomed = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
				CrashWorkerMain.class.getName(), String.valueOf(redis.server().port()))
			.redirectErrorStream(true)
			.redirectOutput(File.createTempFile("crash-worker", ".log"))
			.start();
		await().atMost(Duration.ofSeconds(60)).until(() -> client.hlen(RUNS) >= JOBS / 4);
		doomed.destroyForcibly().waitFor();
		long completedBeforeKill = client.hlen(RUNS);
		long inFlightAtKill = queue.stats().active();

		try (Worker rescuer = Worker.builder(queue).concurrency(8).id("rescuer")
			.handle("crunch", CrashWorkerMain.Crunch.class, (crunch, ctx) -> client.hincrBy(RUNS, ctx.jobId(), 1))
			.build().start()) {
			await().atMost(Duration.ofSeconds(60)).until(() -> queue.stats().completed() == JOBS);
		}

		Map<String, String> runs = client.hgetAll(RUNS);
		long lost = jobs.stream().filter((job) -> !runs.containsKey(job.id())).count();
		long ranTwice = runs.values().stream().filter((count) -> Integer.parseInt(count) > 1).count();
		System.out.printf("Crash test: %d jobs, worker JVM killed (SIGKILL) after %d had run, %d leased at that moment; "
				+ "jobs lost: %d, jobs that ran more than once: %d%n", JOBS, completedBeforeKill, inFlightAtKill, lost,
				ranTwice);

		assertThat(lost).isZero();
		assertThat(runs).hasSize(JOBS);
		assertThat(queue.stats()).isEqualTo(new QueueStats(0, 0, 0, JOBS, 0, 0, 0, 0));
		// Only jobs in flight at the kill can run twice.
		assertThat(ranTwice).isLessThanOrEqualTo(inFlightAtKill);
	}

	private static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
