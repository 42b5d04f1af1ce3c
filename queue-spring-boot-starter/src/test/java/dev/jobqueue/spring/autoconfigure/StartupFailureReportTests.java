package dev.jobqueue.spring.autoconfigure;

import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

import dev.jobqueue.spring.annotation.JobHandler;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A configuration or a handler that cannot work stops start-up with Boot's "APPLICATION FAILED TO START" block:
 * a description naming the property or the method, and an action.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private final FailureAnalyzer handlerAnalyzer = new JobHandlerDefinitionFailureAnalyzer();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JobQueueAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.port=" + redis.server().port());
	}

	@Test
	void theAnalyzersAreRegisteredForBoot() throws Exception {
		StringBuilder registered = new StringBuilder();
		for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
			registered.append(PropertiesLoaderUtils.loadProperties(new UrlResource(url))
				.getProperty(FailureAnalyzer.class.getName(), "")).append(',');
		}
		assertThat(registered.toString()).contains(JobHandlerDefinitionFailureAnalyzer.class.getName(),
					RedisConnectionFailureAnalyzer.class.getName());
	}

	@Test
	void twoHandlersOfOneTypeAreReportedWithTheFix() {
		runner().withUserConfiguration(FirstEmails.class, SecondEmails.class).run((context) -> {
			FailureAnalysis analysis = this.handlerAnalyzer.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Job type 'send_email' has two handlers: FirstEmails.send(String)");
			assertThat(analysis.getAction()).isEqualTo("A job type has exactly one @JobHandler; rename the type of one of them.");
		});
	}

	@Test
	void aHandlerOnAQueueThatIsNotConfiguredIsReportedWithTheFix() {
		runner().withPropertyValues("jobqueue.queues.emails.concurrency=2").withUserConfiguration(UnknownQueue.class)
			.run((context) -> {
				FailureAnalysis analysis = this.handlerAnalyzer.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("UnknownQueue.report(String) uses queue 'reports'");
				assertThat(analysis.getAction()).startsWith("Add jobqueue.queues.reports");
			});
	}

	@Test
	void aParameterNothingCanSupplyIsReportedWithTheFix() {
		runner().withUserConfiguration(TwoPayloads.class).run((context) -> {
			FailureAnalysis analysis = this.handlerAnalyzer.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("TwoPayloads.handle(String, Integer)");
			assertThat(analysis.getAction()).startsWith("Declare one payload parameter");
		});
	}

	@Test
	void aHandlerDurationThatDoesNotParseIsReportedWithTheFix() {
		runner().withUserConfiguration(BadTimeout.class).run((context) -> {
			FailureAnalysis analysis = this.handlerAnalyzer.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'soon' is not a duration for the timeout");
			assertThat(analysis.getAction()).contains("Fix the attribute");
		});
	}

	@Test
	void aDuplicateHandlerPrintsBootsFailureBlock(CapturedOutput output) {
		assertThatThrownBy(() -> run(FirstEmails.class)).isNotNull();
		assertThat(output).contains("APPLICATION FAILED TO START", "Description:",
				"Job type 'send_email' has two handlers", "Action:", "rename the type of one of them");
	}

	@Test
	void aPoolNamedLikeAQueueItDoesNotReadStopsStartUp(CapturedOutput output) {
		assertThatThrownBy(() -> run(NoHandlers.class, "--jobqueue.queues.emails.concurrency=1",
				"--jobqueue.queues.reports.concurrency=1", "--jobqueue.worker.pools.emails.queues=reports")).isNotNull();
		assertThat(output).contains("APPLICATION FAILED TO START", "jobqueue.worker.pools.emails is named like the "
				+ "queue jobqueue.queues.emails, which it does not read: no worker would read that queue");
	}

	@Test
	void badNumbersAndPoolsAreReportedTogetherNamingEachProperty() {
		runner().withPropertyValues("jobqueue.queues.emails.concurrency=0", "jobqueue.jobs.max-retries=-1",
				"jobqueue.worker.pools.main.queues=emails,ghosts", "jobqueue.jobs.lease-duration=0s")
			.run((context) -> assertThat(context).hasFailed().getFailure()
				.hasStackTraceContaining("jobqueue.queues.emails.concurrency must be at least 1, not 0")
				.hasStackTraceContaining("jobqueue.jobs.max-retries must be at least 0, not -1")
				.hasStackTraceContaining("jobqueue.worker.pools.main.queues names 'ghosts', which is not configured")
				.hasStackTraceContaining("jobqueue.jobs.lease-duration must be longer than 0"));
	}

	@Test
	void aConfiguredDurationThatDoesNotParsePrintsBootsFailureBlockNamingTheProperty(CapturedOutput output) {
		assertThatThrownBy(() -> run(NoHandlers.class, "--jobqueue.jobs.timeout=soon")).isNotNull();
		assertThat(output).contains("APPLICATION FAILED TO START", "jobqueue.jobs.timeout", "soon", "Action:");
	}

	@Test
	void aValidConfigurationStarts() {
		runner().withPropertyValues("jobqueue.queues.emails.concurrency=2", "jobqueue.queues.reports.concurrency=1",
				"jobqueue.worker.pools.main.queues=emails,reports")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private static void run(Class<?> configuration, String... args) {
		SpringApplication application = new SpringApplication(Application.class, configuration);
		application.setWebApplicationType(WebApplicationType.NONE);
		List<String> all = new ArrayList<>(List.of(args));
		all.add("--spring.data.redis.port=" + redis.server().port());
		all.add("--spring.main.banner-mode=off");
		application.run(all.toArray(String[]::new)).close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(JobQueueAutoConfiguration.class)
	static class Application {

	}

	@Configuration(proxyBeanMethods = false)
	static class NoHandlers {

	}

	@Configuration(proxyBeanMethods = false)
	@Import(SecondEmails.class)
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
	static class UnknownQueue {

		@JobHandler(value = "report", queue = "reports")
		void report(String name) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoPayloads {

		@JobHandler("two")
		void handle(String first, Integer second) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadTimeout {

		@JobHandler(value = "slow", timeout = "soon")
		void handle(String payload) {
		}

	}

}
