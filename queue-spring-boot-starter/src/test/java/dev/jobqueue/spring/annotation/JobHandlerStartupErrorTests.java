package dev.jobqueue.spring.annotation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A handler that cannot work stops the application at start-up, with a message that names it. */
class JobHandlerStartupErrorTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JobQueueAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.port=" + redis.server().port());
	}

	@Test
	void twoHandlersForOneType() {
		runner().withUserConfiguration(FirstEmails.class, SecondEmails.class).run((context) -> assertThat(context)
			.hasFailed().getFailure().rootCause()
			.hasMessageContaining("Job type 'send_email' has two handlers")
			.hasMessageContaining("FirstEmails.send(String)").hasMessageContaining("SecondEmails.send(String)")
			.hasMessageContaining("rename the type"));
	}

	@Test
	void aMethodWithTwoPayloadParameters() {
		runner().withUserConfiguration(TwoPayloads.class).run((context) -> assertThat(context).hasFailed()
			.getFailure().rootCause().hasMessageContaining("TwoPayloads.handle(String, Integer, JobContext)")
			.hasMessageContaining("2 parameters that would each take the payload")
			.hasMessageContaining("Declare one payload parameter"));
	}

	@Test
	void aQueueThatIsNotConfigured() {
		runner().withPropertyValues("jobqueue.queues.emails.concurrency=2").withUserConfiguration(UnknownQueue.class)
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause()
				.hasMessageContaining("UnknownQueue.report(String)")
				.hasMessageContaining("uses queue 'reports', which is not configured (configured: [emails])")
				.hasMessageContaining("Add jobqueue.queues.reports"));
	}

	@Test
	void aTimeoutThatIsNotADuration() {
		runner().withUserConfiguration(BadTimeout.class).run((context) -> assertThat(context).hasFailed()
			.getFailure().hasStackTraceContaining("@JobHandler method handle has a bad setting: 'soon' is not a duration for the timeout (write e.g. 500ms"));
	}

	@Configuration(proxyBeanMethods = false)
	static class FirstEmails {

		@JobHandler("send_email")
		void send(String to) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondEmails {

		@JobHandler("send_email")
		void send(String to) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoPayloads {

		@JobHandler("t")
		void handle(String a, Integer b, JobContext context) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownQueue {

		@JobHandler(value = "report", queue = "reports")
		void report(String name) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadTimeout {

		@JobHandler(value = "t", timeout = "soon")
		void handle(String name) {
		}

	}

}
