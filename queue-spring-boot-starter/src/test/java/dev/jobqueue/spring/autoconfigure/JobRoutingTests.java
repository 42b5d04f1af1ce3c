package dev.jobqueue.spring.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.exceptions.JedisException;

import dev.jobqueue.spring.annotation.JobHandler;
import dev.jobqueue.spring.dispatch.DispatchOptions;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.dispatch.JobQueueException;
import dev.jobqueue.test.LocalRedisServer;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Where dispatches go on web-only and worker nodes, which types are refused, and how Redis errors reach callers. */
class JobRoutingTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JobQueueAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.port=" + redis.server().port(), "jobqueue.queues.default.concurrency=1",
					"jobqueue.queues.emails.concurrency=1", "jobqueue.queues.bulk.concurrency=1");
	}

	@Test
	void aWebOnlyNodeRoutesATypeToTheSameQueueAsAWorkerNodeThatHandlesIt() {
		runner().withPropertyValues("jobqueue.worker.enabled=false", "jobqueue.routes.send_email=emails")
			.run((web) -> assertThat(web.getBean(JobDispatcher.class).dispatch("send_email", "x").queue()).isEqualTo("emails"));
		runner().withPropertyValues("jobqueue.worker.enabled=false").withUserConfiguration(EmailHandler.class)
			.run((worker) -> assertThat(worker.getBean(JobDispatcher.class).dispatch("send_email", "x").queue())
				.isEqualTo("emails"));
	}

	@Test
	void optionsWinOverRoutesWhichWinOverTheHandlersQueue() {
		runner().withPropertyValues("jobqueue.worker.enabled=false", "jobqueue.routes.send_email=bulk")
			.withUserConfiguration(EmailHandler.class)
			.run((context) -> {
				JobDispatcher dispatcher = context.getBean(JobDispatcher.class);
				assertThat(dispatcher.dispatch("send_email", "x").queue()).isEqualTo("bulk");
				assertThat(dispatcher.dispatch("send_email", "x", DispatchOptions.onQueue("default")).queue())
					.isEqualTo("default");
			});
	}

	@Test
	void withRoutesAnUnknownTypeIsRefusedAtTheCallAndWithoutRoutesOrHandlersAnyTypeGoesToTheDefaultQueue() {
		runner().withPropertyValues("jobqueue.worker.enabled=false", "jobqueue.routes.send_email=emails",
				"jobqueue.routes.resize=bulk")
			.run((context) -> assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(JobDispatcher.class).dispatch("send_mail", "x"))
				.withMessage("Unknown job type 'send_mail': known types are [resize, send_email]. Add a @JobHandler "
						+ "for it, or route it with jobqueue.routes.send_mail=<queue>"));
		runner().withPropertyValues("jobqueue.worker.enabled=false")
			.run((context) -> assertThat(context.getBean(JobDispatcher.class).dispatch("anything", "x").queue())
				.isEqualTo("default"));
	}

	@Test
	void aRouteToAQueueThatIsNotConfiguredFailsStartUp() {
		runner().withPropertyValues("jobqueue.routes.send_email=nowhere").run((context) -> assertThat(context)
			.getFailure().rootCause().hasMessageContaining("jobqueue.routes.send_email names queue 'nowhere'"));
	}

	@Test
	void aRedisErrorReachesTheCallerAsOneExceptionWithAOneLineMessage() {
		try (LocalRedisServer gone = LocalRedisServer.create().start()) {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JobQueueAutoConfiguration.class))
				.withPropertyValues("spring.data.redis.port=" + gone.port(), "jobqueue.worker.enabled=false")
				.run((context) -> {
					JobDispatcher dispatcher = context.getBean(JobDispatcher.class);
					gone.kill();
					assertThatExceptionOfType(JobQueueException.class).isThrownBy(() -> dispatcher.dispatch("x", "y"))
						.withMessageStartingWith("Could not dispatch job ")
						.withMessageContaining("(x) to queue 'default': ")
						.withCauseInstanceOf(JedisException.class)
						.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("\n"));
					assertThatExceptionOfType(JobQueueException.class).isThrownBy(() -> dispatcher.find("some-id"))
						.withMessageStartingWith("Could not look up job some-id: ");
				});
		}
	}

	@Test
	void handlersRunOnVirtualThreadsAsConfiguredElseAsSpringSaysAndNeverBeforeJdk21() {
		assertThat(JobQueueAutoConfiguration.virtualThreads(null, false, 25)).isFalse();
		assertThat(JobQueueAutoConfiguration.virtualThreads(null, true, 25)).isTrue();
		assertThat(JobQueueAutoConfiguration.virtualThreads(false, true, 25)).isFalse();
		assertThat(JobQueueAutoConfiguration.virtualThreads(true, false, 21)).isTrue();
		assertThat(JobQueueAutoConfiguration.virtualThreads(true, true, 17)).isFalse();
	}

	@Configuration(proxyBeanMethods = false)
	static class EmailHandler {

		@Bean
		Emails emails() {
			return new Emails();
		}

	}

	static class Emails {

		@JobHandler(value = "send_email", queue = "emails")
		public void send(String payload) {
		}

	}

}
