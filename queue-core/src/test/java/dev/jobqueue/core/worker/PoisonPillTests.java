package dev.jobqueue.core.worker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jobs that bring their worker's process down, with real worker JVMs restarted as a supervisor would: each
 * ends in the dead-letter queue after a bounded number of deaths, however it kills the process, and the jobs
 * that ran beside it are not charged for it. Ordinary graceful stops are no deaths.
 */
class PoisonPillTests {

	static final String QUEUE = "poison";

	/** Hash: job id to the number of times a handler started it. */
	static final String STARTS = "poison-test:starts";

	static final int MAX_STALLS = 2;

	/** Long enough that a heartbeat delayed by a loaded machine never lets an innocent job's lease expire. */
	static final Duration LEASE = Duration.ofSeconds(5);

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private RedisClient client;

	private RedisJobQueue queue;

	static QueueOptions options() {
		return QueueOptions.defaults().withLeaseDuration(LEASE).withMaxStalls(MAX_STALLS);
	}

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
		this.queue = new RedisJobQueue(this.client, QUEUE, options());
	}

	@Test
	void aJobThatCallsSystemExitWhileAShutdownHookStopsTheWorkerIsDeadLetteredAfterABoundedNumberOfDeaths()
			throws Exception {
		Job pill = pill();
		Job innocent = innocent();
		this.queue.enqueueAll(List.of(pill, innocent));

		int workerRuns = runWorkerProcessesUntilDead(pill, "exit");

		assertThat(workerRuns).isEqualTo(MAX_STALLS + 1);
		assertPoisonPillDeadAfterKillingEveryWorkerThatRanIt(pill);
		// Handed back by the shutdown hook each time: no stall.
		finishInnocents(List.of(innocent), 0);
	}

	@Test
	void aJobThatHaltsTheProcessIsDeadLetteredWithoutChargingTheJobsLeasedInTheSameBatch() throws Exception {
		Job pill = pill();
		List<Job> innocents = List.of(innocent(), innocent(), innocent(), innocent());
		List<Job> batch = new ArrayList<>(List.of(pill));
		batch.addAll(innocents);
		this.queue.enqueueAll(batch);

		runWorkerProcessesUntilDead(pill, "halt");

		assertPoisonPillDeadAfterKillingEveryWorkerThatRanIt(pill);
		// Leased with the pill when the first halt took the process down: one stall each, and no more.
		finishInnocents(innocents, 1);
	}

	@Test
	void ordinaryGracefulStopsWhileALongJobRunsNeverDeadLetterIt() {
		Job report = Job.of("long-report", new PoisonPillWorkerMain.Work(0));
		this.queue.enqueue(report);
		AtomicInteger started = new AtomicInteger();
		AtomicBoolean deployed = new AtomicBoolean();
		int deploys = 5;
		for (int i = 1; i <= deploys; i++) {
			int expected = i;
			Worker worker = worker(started, deployed).start();
			await().atMost(Duration.ofSeconds(30)).until(() -> started.get() == expected);

			assertThat(worker.stop(Duration.ofMillis(200))).as("the job was still running").isFalse();
			JobInfo info = this.queue.get(report.id()).orElseThrow();
			assertThat(info.state()).isEqualTo(JobState.PENDING);
			assertThat(info.stalls()).isZero();
		}
		deployed.set(true);
		try (Worker worker = worker(started, deployed).start()) {
			await().atMost(Duration.ofSeconds(30)).until(() -> state(report) == JobState.COMPLETED);
		}

		JobInfo info = this.queue.get(report.id()).orElseThrow();
		assertThat(info.stalls()).isZero();
		assertThat(info.failures()).isZero();
		assertThat(info.attempts()).isEqualTo(deploys + 1);
		assertThat(this.queue.stats().dead()).isZero();
	}

	private Worker worker(AtomicInteger started, AtomicBoolean deployed) {
		return Worker.builder(this.queue).handle("long-report", PoisonPillWorkerMain.Work.class, (work, ctx) -> {
			started.incrementAndGet();
			if (!deployed.get()) {
				Thread.sleep(Duration.ofMinutes(2).toMillis());
			}
		}).build();
	}

	/** Starts worker processes one after the other, each after the last one died, until the pill is dead. */
	private int runWorkerProcessesUntilDead(Job pill, String how) throws Exception {
		int runs = 0;
		// The pill kills MAX_STALLS + 1 workers; after a halt, the next worker's reaper finds the last death.
		while (state(pill) != JobState.DEAD && runs < MAX_STALLS + 2) {
			runs++;
			Process worker = startWorkerProcess(how);
			try {
				await().atMost(Duration.ofSeconds(90)).until(() -> !worker.isAlive() || state(pill) == JobState.DEAD);
			}
			finally {
				stopGracefully(worker);
			}
		}
		return runs;
	}

	private void assertPoisonPillDeadAfterKillingEveryWorkerThatRanIt(Job pill) {
		JobInfo info = this.queue.get(pill.id()).orElseThrow();
		assertThat(info.state()).isEqualTo(JobState.DEAD);
		assertThat(info.stalls()).isEqualTo(MAX_STALLS + 1);
		assertThat(info.lastError()).isNotNull();
		assertThat(starts(pill)).isEqualTo(MAX_STALLS + 1);
	}

	/** Runs what the pill left behind on a healthy worker: every innocent job completes. */
	private void finishInnocents(List<Job> innocents, int stalls) {
		try (Worker worker = Worker.builder(this.queue)
			.handle("innocent", PoisonPillWorkerMain.Work.class,
					(work, ctx) -> this.client.hincrBy(STARTS, ctx.jobId(), 1))
			.build()
			.start()) {
			await().atMost(Duration.ofSeconds(60))
				.until(() -> innocents.stream().allMatch((job) -> state(job) == JobState.COMPLETED));
		}
		for (Job job : innocents) {
			assertThat(this.queue.get(job.id()).orElseThrow().stalls()).as("stalls of innocent job %s", job.id())
				.isEqualTo(stalls);
		}
		assertThat(this.queue.stats().dead()).as("only the pill is dead-lettered").isEqualTo(1);
	}

	private Process startWorkerProcess(String how) throws IOException {
		return new ProcessBuilder(javaBinary(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
				System.getProperty("java.class.path"), PoisonPillWorkerMain.class.getName(),
				String.valueOf(redis.server().port()), how)
			.redirectErrorStream(true)
			.redirectOutput(File.createTempFile("poison-pill-worker-", ".log"))
			.start();
	}

	/** SIGTERM, as a supervisor stops a process: its shutdown hook hands running jobs back. */
	private static void stopGracefully(Process worker) throws InterruptedException {
		worker.destroy();
		if (!worker.waitFor(30, TimeUnit.SECONDS)) {
			worker.destroyForcibly().waitFor();
		}
	}

	private static Job pill() {
		return Job.of("pill", new PoisonPillWorkerMain.Work(500));
	}

	/** Runs long enough to be running when the pill, leased in the same batch, takes the process down. */
	private static Job innocent() {
		return Job.of("innocent", new PoisonPillWorkerMain.Work(3_000));
	}

	private int starts(Job job) {
		String count = this.client.hget(STARTS, job.id());
		return (count != null) ? Integer.parseInt(count) : 0;
	}

	private JobState state(Job job) {
		return this.queue.get(job.id()).map(JobInfo::state).orElse(null);
	}

	private static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
