package dev.jobqueue.spring.coordination;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.jobqueue.core.lock.DistributedLock;
import dev.jobqueue.core.lock.FencedStore;
import dev.jobqueue.core.schedule.Scheduler;
import dev.jobqueue.spring.actuate.endpoint.JobQueueEndpoint;
import dev.jobqueue.spring.annotation.JobHandler;
import dev.jobqueue.spring.annotation.JobSchedule;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.coordination.JobQueueCoordinationAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.coordination.JobQueueCoordinationMetricsAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.endpoint.JobQueueEndpointAutoConfiguration;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JobQueueCoordinationAutoConfigurationTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	@BeforeEach
	void flush() {
		redis.server().flushAll();
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JobQueueAutoConfiguration.class,
					JobQueueCoordinationAutoConfiguration.class, JobQueueCoordinationMetricsAutoConfiguration.class,
					JobQueueEndpointAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.port=" + redis.server().port());
	}

	@Test
	void declaredPrimitivesAreBeansAndSchedulesFireIntoTheirHandlers() {
		runner().withUserConfiguration(Handlers.class, Meters.class)
			.withPropertyValues("jobqueue.rate-limiters.api.limit=5", "jobqueue.rate-limiters.api.window=1m",
					"jobqueue.rate-limiters.api.burst=5", "jobqueue.semaphores.pool.limit=3",
					"jobqueue.leader-elections.cron.lease=3s", "jobqueue.leader-elections.cron.check-interval=500ms",
					"jobqueue.schedules.ping.every=1s", "jobqueue.schedules.ping.job-type=ping",
					"jobqueue.schedules.ping.payload={\"n\":1}", "jobqueue.scheduler.poll-interval=100ms",
					"management.endpoints.web.exposure.include=jobqueue")
			.run((context) -> {
				assertThat(context).hasSingleBean(DistributedLock.class).hasSingleBean(FencedStore.class);
				assertThat(context.getBean(RateLimiters.class).get("api").limit()).isEqualTo(5);
				assertThat(context.getBean(Semaphores.class).get("pool").available()).isEqualTo(3);
				LeaderElections elections = context.getBean(LeaderElections.class);
				await().atMost(Duration.ofSeconds(20)).until(() -> elections.get("cron").isLeader());

				Handlers handlers = context.getBean(Handlers.class);
				await().atMost(Duration.ofSeconds(30)).until(() -> handlers.pings.get() >= 2 && handlers.reports.get() >= 1);
				assertThat(context.getBean(Scheduler.class).list()).extracting("name").containsExactly("ping", "report");

				for (int i = 0; i < 6; i++) {
					context.getBean(RateLimiters.class).get("api").attempt();
				}
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("jobqueue.ratelimit.denials").tag("limiter", "api").counter().count()).isEqualTo(1);
				assertThat(meters.get("jobqueue.leader.changes").tag("change", "elected").counter().count()).isEqualTo(1);
				assertThat(meters.get("jobqueue.schedule.fires").tag("schedule", "ping").counter().count()).isPositive();

				@SuppressWarnings("unchecked")
				List<Map<String, Object>> schedules = (List<Map<String, Object>>) context.getBean(JobQueueEndpoint.class)
					.queues().get("schedules");
				assertThat(schedules).extracting((schedule) -> schedule.get("name")).containsExactly("ping", "report");
				assertThat((List<?>) schedules.get(0).get("nextFires")).hasSize(5);
				JobQueueEndpoint endpoint = context.getBean(JobQueueEndpoint.class);
				assertThat(endpoint.scheduleAction("schedules", "ping", "trigger", SecurityContext.NONE).getStatus())
					.isEqualTo(403);
				assertThat(endpoint.scheduleAction("schedules", "ping", "trigger", admin()).getBody()).containsKey("job");
			});
	}

	@Test
	void aScheduleWithoutAHandlerFailsTheStartAndNamesTheSchedule() {
		runner().withPropertyValues("jobqueue.schedules.nightly.cron=0 3 * * *", "jobqueue.schedules.nightly.job-type=report")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("Schedule 'nightly' (jobqueue.schedules.nightly) is invalid")
				.hasStackTraceContaining("no @JobHandler for job type 'report'"));
	}

	@Test
	void aMalformedCronOrAnUnknownZoneFailsTheStartAndNamesTheSchedule() {
		runner().withUserConfiguration(Handlers.class)
			.withPropertyValues("jobqueue.schedules.nightly.cron=0 99 * * *", "jobqueue.schedules.nightly.job-type=ping")
			.run((context) -> assertThat(context).getFailure()
				.hasRootCauseInstanceOf(IllegalArgumentException.class)
				.hasStackTraceContaining("Schedule 'nightly' (jobqueue.schedules.nightly) is invalid"));
		runner().withUserConfiguration(Handlers.class)
			.withPropertyValues("jobqueue.schedules.nightly.cron=0 3 * * *", "jobqueue.schedules.nightly.job-type=ping",
					"jobqueue.schedules.nightly.zone=Mars/Olympus")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("Schedule 'nightly'")
				.hasStackTraceContaining("Mars/Olympus"));
	}

	@Test
	void unknownNamesAreClearErrors() {
		runner().run((context) -> assertThat(context.getBean(RateLimiters.class).all()).isEmpty());
		runner().run((context) -> {
			Throwable error = org.assertj.core.api.Assertions
				.catchThrowable(() -> context.getBean(Semaphores.class).get("nope"));
			assertThat(error).hasMessageContaining("jobqueue.semaphores.nope");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		final AtomicInteger pings = new AtomicInteger();

		final AtomicInteger reports = new AtomicInteger();

		@JobHandler("ping")
		void ping(Ping ping) {
			this.pings.incrementAndGet();
		}

		@JobHandler("report")
		@JobSchedule(every = "1s")
		void report() {
			this.reports.incrementAndGet();
		}

	}

	record Ping(int n) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Meters {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}


	private static SecurityContext admin() {
		return new SecurityContext() {
			@Override
			public java.security.Principal getPrincipal() {
				return () -> "admin";
			}

			@Override
			public boolean isUserInRole(String role) {
				return "JOBQUEUE_ADMIN".equals(role);
			}
		};
	}

}
