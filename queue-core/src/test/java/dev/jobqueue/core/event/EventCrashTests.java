package dev.jobqueue.core.event;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A job's history agrees with its state after its worker's JVM is SIGKILLed mid-job. */
class EventCrashTests {

	static final String QUEUE = "crash-events";

	static final String STARTED = "events-test:started";

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	static QueueOptions options() {
		return QueueOptions.defaults().withLeaseDuration(Duration.ofSeconds(2));
	}

	@Test
	void aJobWhoseWorkerWasKilledShowsTheStallAndTheRunThatFinishedIt() throws Exception {
		RedisClient client = redis.server().client();
		RedisJobQueue queue = new RedisJobQueue(client, QUEUE, options());
		Job job = Job.of("slow", Map.of());
		queue.enqueue(job);
		Process doomed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
				StalledWorkerMain.class.getName(), String.valueOf(redis.server().port()))
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> job.id().equals(client.get(STARTED)));
		}
		finally {
			// SIGKILL: the worker gets no chance to hand the job back or write anything.
			doomed.destroyForcibly().waitFor();
		}

		try (Worker rescuer = Worker.builder(queue).id("rescuer").reapInterval(Duration.ofMillis(200))
			.handle("slow", Map.class, (payload, ctx) -> {
			})
			.build()) {
			rescuer.start();
			await().atMost(Duration.ofSeconds(60))
				.until(() -> queue.get(job.id()).orElseThrow().state() == JobState.COMPLETED);
		}

		List<JobEvent> history = RedisEventStore.of(client, "jobqueue", List.of(QUEUE)).jobEvents(job.id());
		assertThat(history).extracting(JobEvent::kind).containsExactly(JobEvent.CREATED, JobEvent.STARTED,
				JobEvent.STALLED, JobEvent.STARTED, JobEvent.COMPLETED);
		// The stall is written by the reaper that reclaimed the lease: here the rescuing worker's.
		assertThat(history).extracting(JobEvent::workerId).containsExactly(null, "doomed", "rescuer", "rescuer", "rescuer");
		assertThat(history.get(2).field("reason")).isEqualTo("lease expired");
		assertThat(history.get(3).field("suspect")).isEqualTo("1");
		assertThat(history.get(4).attempt()).isEqualTo(2);
	}

}
