package dev.jobqueue.core.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.QueueStats;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.worker.JobExecutionListener;
import dev.jobqueue.core.worker.NonRetryableJobException;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.RecordingEndpoint;
import dev.jobqueue.test.RecordingEndpoint.Answer;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alerts are sent by a consumer of dead letters on its own thread (in production the event stream's consumer
 * group), so an alert endpoint that hangs leaves job processing alone. Prints jobs per second with a healthy and
 * with a hanging endpoint; asserts only that processing finished while alerts were still stuck.
 */
class HangingAlerterTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private static final int JOBS = 1000;

	private static final int DYING = JOBS / 5;

	record Task(int n) {
	}

	@Test
	void anAlertEndpointThatHangsDoesNotSlowJobProcessing() throws Exception {
		run(false); // warms the JIT up, so that neither measured run pays for it
		Run hanging = run(true);
		Run healthy = run(false);

		System.out.printf("alerts: %d jobs (%d dead-lettered), healthy endpoint %.0f jobs/s (%d alerts sent when "
				+ "done), hanging endpoint %.0f jobs/s (%d alerts handled when done)%n", JOBS, DYING,
				healthy.jobsPerSecond(), healthy.alertsWhenDone(), hanging.jobsPerSecond(), hanging.alertsWhenDone());
		// Each hanging alert holds the consumer for its 1 s timeout: the jobs did not wait for them.
		assertThat(hanging.alertsWhenDone()).isLessThan(DYING);
	}

	record Run(double jobsPerSecond, int alertsWhenDone) {
	}

	private Run run(boolean hang) throws Exception {
		redis.server().flushAll();
		try (RecordingEndpoint endpoint = new RecordingEndpoint()) {
			if (hang) {
				endpoint.always(Answer.hangs());
			}
			AlertDispatcher dispatcher = new AlertDispatcher(redis.server().client(), "jq",
					List.of(new WebhookAlerter(endpoint.url("/alerts"), null, Duration.ofSeconds(1), Duration.ofSeconds(1),
							null)),
					AlertSettings.defaults().withFlood(Duration.ofMinutes(5), JOBS).withRetries(1, Duration.ZERO));
			BlockingQueue<DeadLetterAlert> deadLetters = new LinkedBlockingQueue<>();
			AtomicInteger handled = new AtomicInteger();
			Thread consumer = new Thread(() -> {
				try {
					while (true) {
						DeadLetterAlert alert = deadLetters.take();
						try {
							dispatcher.deadLettered(alert);
						}
						catch (AlertDeliveryException ex) {
							// Would stay unacknowledged in the stream and come again.
						}
						handled.incrementAndGet();
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, "alert-consumer");
			consumer.start();
			RedisJobQueue queue = new RedisJobQueue(redis.server().client(), "hang-" + hang, QueueOptions.defaults());
			Worker worker = Worker.builder(queue).concurrency(8).listener(new JobExecutionListener() {
				@Override
				public void onDeadLettered(LeasedJob job, Throwable error, Duration took) {
					deadLetters.add(new DeadLetterAlert(job.id(), job.job().type(), job.queue(), error.getMessage(),
							job.attempt(), Instant.now()));
				}
			}).handle("task", Task.class, (task, ctx) -> {
				if (task.n() % 5 == 0) {
					throw new NonRetryableJobException("task " + task.n() + " cannot work");
				}
			}).build();
			try {
				List<Job> jobs = new ArrayList<>();
				for (int i = 0; i < JOBS; i++) {
					jobs.add(Job.of("task", new Task(i)));
				}
				queue.enqueueAll(jobs);
				long started = System.nanoTime();
				worker.start();
				await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
					QueueStats stats = queue.stats();
					return stats.completed() + stats.dead() == JOBS;
				});
				double seconds = (System.nanoTime() - started) / 1e9;
				int alertsWhenDone = hang ? handled.get() : endpoint.requests().size();
				assertThat(queue.stats().dead()).isEqualTo(DYING);
				if (!hang) {
					await().atMost(Duration.ofSeconds(30)).until(() -> endpoint.requests().size() == DYING);
				}
				return new Run(JOBS / seconds, alertsWhenDone);
			}
			finally {
				consumer.interrupt();
				worker.stop(Duration.ofSeconds(2));
				consumer.join(TimeUnit.SECONDS.toMillis(5));
			}
		}
	}

}
