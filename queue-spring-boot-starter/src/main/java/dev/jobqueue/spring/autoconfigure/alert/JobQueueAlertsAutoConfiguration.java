package dev.jobqueue.spring.autoconfigure.alert;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.mail.MailSender;

import dev.jobqueue.core.alert.AlertDispatcher;
import dev.jobqueue.core.alert.AlertSettings;
import dev.jobqueue.core.alert.Alerter;
import dev.jobqueue.core.alert.DeadLetterAlertRelay;
import dev.jobqueue.core.event.EventStore;
import dev.jobqueue.core.queue.EventOptions;
import dev.jobqueue.core.alert.LogAlerter;
import dev.jobqueue.core.alert.SlackAlerter;
import dev.jobqueue.core.alert.WebhookAlerter;
import dev.jobqueue.spring.alert.EmailAlerter;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.JobQueueProperties;
import dev.jobqueue.spring.autoconfigure.event.JobQueueEventsAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.event.JobQueueEventsProperties;
import redis.clients.jedis.UnifiedJedis;

/**
 * Dead-letter alerts, on with {@code jobqueue.alerts.enabled=true}: an {@link AlertDispatcher} over every
 * {@link Alerter} bean (log; webhook, Slack and e-mail when configured; the application's own), fed by a
 * {@link DeadLetterAlertRelay} that reads dead-letter events as one node of a consumer group. Secrets are masked
 * in actuator either way.
 */
@AutoConfiguration(after = { JobQueueAutoConfiguration.class, JobQueueEventsAutoConfiguration.class },
		afterName = { "org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration",
				"org.springframework.boot.autoconfigure.mail.MailSenderAutoConfiguration" })
@ConditionalOnClass(AlertDispatcher.class)
@EnableConfigurationProperties(JobQueueAlertProperties.class)
public class JobQueueAlertsAutoConfiguration {

	/** Property names whose values are secrets: URLs that carry tokens, and signing secrets. */
	static final Pattern SECRETS = Pattern.compile(
			"(?i)(.*\\.)?jobqueue\\.(alerts\\.webhook\\.(url|secret)|alerts\\.slack\\.webhook-?url|builtin\\.webhook\\.secret)");

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(prefix = "jobqueue.alerts", name = "enabled", havingValue = "true")
	static class Alerts {

		@Bean(initMethod = "start", destroyMethod = "close")
		@ConditionalOnMissingBean
		AlertDispatcher jobQueueAlertDispatcher(UnifiedJedis redis, JobQueueProperties queueProperties,
				JobQueueAlertProperties properties, ObjectProvider<Alerter> alerters) {
			AlertSettings settings = AlertSettings.defaults()
				.withFlood(properties.getFlood().getWindow(), properties.getFlood().getFirstAlerts())
				.withRetries(properties.getRetry().getAttempts(), properties.getRetry().getBackOff());
			return new AlertDispatcher(redis, queueProperties.getKeyPrefix(), alerters.orderedStream().toList(), settings);
		}

		@Bean(initMethod = "start", destroyMethod = "close")
		@ConditionalOnMissingBean
		DeadLetterAlertRelay jobQueueDeadLetterAlertRelay(ObjectProvider<EventStore> events,
				JobQueueEventsProperties eventProperties, AlertDispatcher dispatcher) {
			EventStore store = events.getIfAvailable();
			if (store == null || eventProperties.getMode() == EventOptions.Mode.NONE) {
				throw new IllegalStateException("jobqueue.alerts.enabled=true needs the queues' events: set "
						+ "jobqueue.events.mode to all or lifecycle (it is " + eventProperties.getMode() + ")");
			}
			return new DeadLetterAlertRelay(store, dispatcher,
					ProcessHandle.current().pid() + "@" + hostName() + "-" + UUID.randomUUID().toString().substring(0, 8));
		}

		private static String hostName() {
			try {
				return InetAddress.getLocalHost().getHostName();
			}
			catch (UnknownHostException ex) {
				return "unknown-host";
			}
		}

		@Bean
		@ConditionalOnProperty(prefix = "jobqueue.alerts.log", name = "enabled", matchIfMissing = true)
		LogAlerter jobQueueLogAlerter(JobQueueAlertProperties properties) {
			return new LogAlerter(properties.getDashboardUrl());
		}

		@Bean
		@ConditionalOnProperty(prefix = "jobqueue.alerts.webhook", name = "url")
		WebhookAlerter jobQueueWebhookAlerter(JobQueueAlertProperties properties) {
			JobQueueAlertProperties.Webhook webhook = properties.getWebhook();
			return new WebhookAlerter(webhook.getUrl(), webhook.getSecret(), webhook.getConnectTimeout(),
					webhook.getTimeout(), properties.getDashboardUrl());
		}

		@Bean
		@ConditionalOnProperty(prefix = "jobqueue.alerts.slack", name = "webhook-url")
		SlackAlerter jobQueueSlackAlerter(JobQueueAlertProperties properties) {
			JobQueueAlertProperties.Slack slack = properties.getSlack();
			return new SlackAlerter(slack.getWebhookUrl(), slack.getChannel(), slack.getTimeout(),
					properties.getDashboardUrl());
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(MailSender.class)
		@ConditionalOnBean(MailSender.class)
		@Conditional(OnEmailRecipients.class)
		static class Email {

			@Bean
			EmailAlerter jobQueueEmailAlerter(MailSender sender, JobQueueAlertProperties properties) {
				JobQueueAlertProperties.Email email = properties.getEmail();
				return new EmailAlerter(sender, email.getFrom(), email.getTo(), email.getSubjectPrefix(),
						properties.getDashboardUrl());
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SanitizingFunction.class)
	static class Sanitizing {

		@Bean
		SanitizingFunction jobQueueSecretsSanitizingFunction() {
			return SanitizingFunction.sanitizeValue().ifKeyMatches(SECRETS);
		}

	}

	/** Matches when {@code jobqueue.alerts.email.to} names at least one recipient (a list or a single value). */
	static class OnEmailRecipients extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			List<String> to = Binder.get(context.getEnvironment())
				.bind("jobqueue.alerts.email.to", Bindable.listOf(String.class))
				.orElse(List.of());
			return to.isEmpty() ? ConditionOutcome.noMatch("no jobqueue.alerts.email.to")
					: ConditionOutcome.match("jobqueue.alerts.email.to has " + to.size() + " recipients");
		}

	}

}
