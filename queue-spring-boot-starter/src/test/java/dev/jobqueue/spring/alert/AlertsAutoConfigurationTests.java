package dev.jobqueue.spring.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mail.MailSender;
import org.springframework.mail.SimpleMailMessage;

import dev.jobqueue.core.alert.AlertDispatcher;
import dev.jobqueue.core.alert.Alerter;
import dev.jobqueue.core.alert.DeadLetterAlert;
import dev.jobqueue.core.alert.DeadLetterAlertRelay;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.spring.autoconfigure.event.JobQueueEventsAutoConfiguration;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.alert.JobQueueAlertProperties;
import dev.jobqueue.spring.autoconfigure.alert.JobQueueAlertsAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.builtin.JobQueueBuiltinHandlersAutoConfiguration;
import dev.jobqueue.spring.builtin.RecordingMailSender;
import dev.jobqueue.spring.web.StandardWebhooksVerifier;
import dev.jobqueue.spring.web.WebhookVerification;
import dev.jobqueue.test.RecordingEndpoint;
import dev.jobqueue.test.RedisServerExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AlertsAutoConfigurationTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	private static final DeadLetterAlert ALERT = new DeadLetterAlert("job-7", "charge_card", "payments", "card declined",
			4, Instant.parse("2026-11-26T06:00:00Z"));

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JobQueueAutoConfiguration.class,
					JobQueueEventsAutoConfiguration.class, JobQueueAlertsAutoConfiguration.class,
					JobQueueBuiltinHandlersAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.port=" + redis.server().port(), "jobqueue.worker.enabled=false");
	}

	@Test
	void alertsAreOffUntilEnabled() {
		runner().run((context) -> assertThat(context).doesNotHaveBean(AlertDispatcher.class)
			.doesNotHaveBean(Alerter.class));
	}

	@Test
	void anAlertReachesTheLogTheSignedWebhookSlackAndEmail() throws Exception {
		try (RecordingEndpoint webhook = new RecordingEndpoint(); RecordingEndpoint slack = new RecordingEndpoint()) {
			runner().withBean(MailSender.class, RecordingMailSender::new)
				.withPropertyValues("jobqueue.alerts.enabled=true", "jobqueue.key-prefix=alerts-e2e",
						"jobqueue.alerts.dashboard-url=https://ops.example.com/jobqueue",
						"jobqueue.alerts.webhook.url=" + webhook.url("/dlq"), "jobqueue.alerts.webhook.secret=" + SECRET,
						"jobqueue.alerts.slack.webhook-url=" + slack.url("/services/T0/B0/token"),
						"jobqueue.alerts.slack.channel=#ops", "jobqueue.alerts.email.from=jobs@example.com",
						"jobqueue.alerts.email.to=oncall@example.com,lead@example.com")
				.run((context) -> {
					AlertDispatcher dispatcher = context.getBean(AlertDispatcher.class);
					assertThat(dispatcher.alerters()).extracting(Alerter::name)
						.containsExactlyInAnyOrder("log", "webhook", "slack", "email");

					dispatcher.deadLettered(ALERT);

					RecordingEndpoint.Request request = webhook.requests().get(0);
					WebhookVerification verification = new StandardWebhooksVerifier(List.of(SECRET), Duration.ofMinutes(5))
						.verify(request::header, request.body(), Instant.now());
					assertThat(verification.accepted()).isTrue();
					assertThat(request.header("webhook-id")).isEqualTo(ALERT.id());
					JsonNode message = JsonMapper.builder().build().readTree(slack.requests().get(0).body());
					assertThat(message.get("channel").asString()).isEqualTo("#ops");
					assertThat(message.get("text").asString()).contains("`charge_card`", "`job-7`", "card declined",
							"https://ops.example.com/jobqueue/job?queue=payments&id=job-7");
					SimpleMailMessage mail = ((RecordingMailSender) context.getBean(MailSender.class)).simple.get(0);
					assertThat(mail.getTo()).containsExactly("oncall@example.com", "lead@example.com");
					assertThat(mail.getFrom()).isEqualTo("jobs@example.com");
					assertThat(mail.getSubject())
						.isEqualTo("[jobqueue] Job charge_card job-7 dead-lettered on queue payments after 4 attempts");
					assertThat(mail.getText()).contains("Error: card declined",
							"Dashboard: https://ops.example.com/jobqueue/job?queue=payments&id=job-7");
				});
		}
	}

	@Test
	void aJobThatDiesOnAWorkerIsAlertedFromItsDeadLetterEventOnce() throws Exception {
		try (RecordingEndpoint webhook = new RecordingEndpoint()) {
			runner().withPropertyValues("jobqueue.alerts.enabled=true", "jobqueue.key-prefix=alerts-relay",
					"jobqueue.alerts.webhook.url=" + webhook.url("/dlq"))
				.run((context) -> {
					assertThat(context).hasSingleBean(DeadLetterAlertRelay.class);
					RedisJobQueue queue = context.getBean(JobQueues.class).redisQueue("default");
					Job job = Job.ofJson("charge_card", "{}").withMaxRetries(0);
					try (Worker worker = Worker.builder(queue).handle("charge_card", Map.class, (payload, ctx) -> {
						throw new IllegalStateException("card declined");
					}).build().start()) {
						queue.enqueue(job);
						await().atMost(Duration.ofSeconds(30)).until(() -> !webhook.requests().isEmpty());
					}
					JsonNode alert = JsonMapper.builder().build().readTree(webhook.requests().get(0).body());
					assertThat(alert.toString()).contains(job.id(), "charge_card", "card declined");
					// Acknowledged once delivered: no second delivery of the same event.
					await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
						.until(() -> webhook.requests().size() == 1);
				});
		}
	}

	@Test
	void alertsWithoutEventsAreAStartUpErrorThatSaysWhichPropertyToSet() {
		runner().withPropertyValues("jobqueue.alerts.enabled=true", "jobqueue.events.mode=none")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("jobqueue.events.mode"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void secretsAreMaskedInToStringAndInTheConfigpropsEndpoint() {
		runner().withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
				ConfigurationPropertiesReportEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoint.configprops.show-values=always",
					"management.endpoints.web.exposure.include=configprops",
					"jobqueue.alerts.webhook.url=https://hooks.example.com/dlq?token=webhook-token",
					"jobqueue.alerts.webhook.secret=" + SECRET,
					"jobqueue.alerts.slack.webhook-url=https://hooks.slack.com/services/T0/B0/slack-token",
					"jobqueue.alerts.slack.channel=#ops", "jobqueue.builtin.webhook.secret=" + SECRET)
			.run((context) -> {
				String text = context.getBean(JobQueueAlertProperties.class).toString()
						+ context.getBean(dev.jobqueue.spring.autoconfigure.builtin.JobQueueBuiltinProperties.class);
				assertThat(text).doesNotContain("webhook-token", "slack-token", SECRET).contains("#ops", "******");

				Map<String, Object> alerts = properties(context.getBean(ConfigurationPropertiesReportEndpoint.class),
						"jobqueue.alerts");
				Map<String, Object> webhook = (Map<String, Object>) alerts.get("webhook");
				assertThat(webhook).containsEntry("url", "******").containsEntry("secret", "******");
				Map<String, Object> slack = (Map<String, Object>) alerts.get("slack");
				assertThat(slack).containsEntry("webhookUrl", "******").containsEntry("channel", "#ops");
				Map<String, Object> builtin = (Map<String, Object>) properties(
						context.getBean(ConfigurationPropertiesReportEndpoint.class), "jobqueue.builtin").get("webhook");
				assertThat(builtin).containsEntry("secret", "******").containsEntry("type", "jobqueue.webhook");
			});
	}

	private static Map<String, Object> properties(ConfigurationPropertiesReportEndpoint endpoint, String prefix) {
		return endpoint.configurationPropertiesWithPrefix(prefix).getContexts().values().stream()
			.flatMap((context) -> context.getBeans().values().stream())
			.filter((bean) -> bean.getPrefix().equals(prefix))
			.findFirst()
			.orElseThrow()
			.getProperties();
	}

}
