package dev.jobqueue.spring.it;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.jobqueue.core.job.JobState;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.it.TestJobsApplication.Handlers;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Closing the application lets a running job finish before the workers stop. */
class GracefulShutdownTests {

	@Test
	void closingTheApplicationLetsARunningJobFinish() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestJobsApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.data.redis.port=" + LocalRedisServer.shared().port(), "jobqueue.key-prefix=graceful",
					"jobqueue.worker.shutdown-timeout=20s")
			.run();
		Handlers handlers = context.getBean(Handlers.class);
		JobHandlerEndpointRegistry workers = context.getBean(JobHandlerEndpointRegistry.class);
		String id = context.getBean(JobDispatcher.class).dispatch("slow", "report-1").id();
		assertThat(handlers.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();

		CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
		// Shutdown has reached the workers: they fetch nothing more and wait for the running job.
		await().atMost(Duration.ofSeconds(5)).until(() -> !workers.isRunning());
		assertThat(closing).isNotDone();
		handlers.slowRelease.countDown();
		closing.get(20, TimeUnit.SECONDS);

		assertThat(handlers.slowFinished).containsExactly("report-1");
		// The application's client is closed now: look with one of our own.
		RedisJobQueue queue = new RedisJobQueue(LocalRedisServer.shared().client(), "default",
				QueueOptions.defaults().withKeyPrefix("graceful"));
		assertThat(queue.get(id).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
	}


	@Test
	void aJobStillRunningAtTheShutdownTimeoutIsHandedBackBeforeTheRedisClientCloses() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestJobsApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.data.redis.port=" + LocalRedisServer.shared().port(), "jobqueue.key-prefix=handback",
					"jobqueue.worker.shutdown-timeout=1s")
			.run();
		Handlers handlers = context.getBean(Handlers.class);
		String id = context.getBean(JobDispatcher.class).dispatch("slow", "report-2").id();
		assertThat(handlers.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();

		context.close();

		RedisJobQueue queue = new RedisJobQueue(LocalRedisServer.shared().client(), "default",
				QueueOptions.defaults().withKeyPrefix("handback"));
		assertThat(queue.get(id).orElseThrow()).satisfies((info) -> {
			assertThat(info.state()).isEqualTo(JobState.PENDING);
			assertThat(info.failures()).isZero();
			assertThat(info.stalls()).isZero();
		});
		handlers.slowRelease.countDown();
	}

	@Test
	void aShutdownTimeoutThatCannotFitSpringsShutdownPhaseIsAStartUpError() {
		SpringApplicationBuilder application = new SpringApplicationBuilder(TestJobsApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.data.redis.port=" + LocalRedisServer.shared().port(), "jobqueue.key-prefix=phase",
					"jobqueue.worker.shutdown-timeout=30s");

		assertThatThrownBy(application::run).hasStackTraceContaining("jobqueue.worker.shutdown-timeout (30 s)")
			.hasStackTraceContaining("spring.lifecycle.timeout-per-shutdown-phase (30 s)");
	}

}
