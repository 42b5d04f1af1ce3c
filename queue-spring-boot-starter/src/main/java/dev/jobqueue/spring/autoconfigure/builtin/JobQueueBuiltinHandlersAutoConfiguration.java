package dev.jobqueue.spring.autoconfigure.builtin;

import java.lang.reflect.Method;
import java.util.List;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.util.ReflectionUtils;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.job.BackOff;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.worker.HandlerOptions;
import dev.jobqueue.core.worker.RetryPolicy;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.JobQueueProperties;
import dev.jobqueue.spring.builtin.EmailJobHandler;
import dev.jobqueue.spring.builtin.EmailMessage;
import dev.jobqueue.spring.builtin.WebhookJobHandler;
import dev.jobqueue.spring.builtin.WebhookRequest;
import dev.jobqueue.spring.handler.JobContextArgumentResolver;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.handler.MethodJobHandlerEndpoint;
import dev.jobqueue.spring.handler.PayloadArgumentResolver;

/**
 * Ready-made job types, each registered like a {@code @JobHandler} when enabled: outbound webhooks
 * ({@code jobqueue.builtin.webhook.enabled}) and e-mail through the application's {@link JavaMailSender}
 * ({@code jobqueue.builtin.email.enabled}).
 */
@AutoConfiguration(after = JobQueueAutoConfiguration.class,
		afterName = { "org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration",
				"org.springframework.boot.autoconfigure.mail.MailSenderAutoConfiguration" })
@ConditionalOnBean(JobHandlerEndpointRegistry.class)
@EnableConfigurationProperties(JobQueueBuiltinProperties.class)
public class JobQueueBuiltinHandlersAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(prefix = "jobqueue.builtin.webhook", name = "enabled", havingValue = "true")
	static class Webhooks {

		@Bean
		@ConditionalOnMissingBean
		WebhookJobHandler jobQueueWebhookJobHandler(JobQueueBuiltinProperties properties, PayloadCodec codec) {
			JobQueueBuiltinProperties.Webhook webhook = properties.getWebhook();
			return new WebhookJobHandler(webhook.getConnectTimeout(), webhook.getTimeout(), webhook.getSecret(), codec);
		}

		@Bean
		SmartInitializingSingleton jobQueueWebhookJobRegistration(WebhookJobHandler handler,
				JobQueueBuiltinProperties properties, JobQueueProperties queueProperties, RetryPolicy retryPolicy,
				JobHandlerEndpointRegistry registry, PayloadCodec codec) {
			JobQueueBuiltinProperties.Webhook webhook = properties.getWebhook();
			BackOff backOff = WebhookJobHandler.backOff(backOff(webhook), webhook.getMaxRetryAfter());
			// The handler's own timeouts end an attempt; the worker's timeout is only a backstop past them.
			HandlerOptions options = new HandlerOptions(
					retryPolicy.withMaxRetries(webhook.getMaxRetries()).withBackoff(backOff),
					webhook.getConnectTimeout().plus(webhook.getTimeout()).plusSeconds(10));
			return () -> register(registry, handler, ReflectionUtils.findMethod(WebhookJobHandler.class, "deliver",
					WebhookRequest.class, JobContext.class), webhook, queueProperties, options, codec);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JavaMailSender.class)
	@ConditionalOnBean(JavaMailSender.class)
	@ConditionalOnProperty(prefix = "jobqueue.builtin.email", name = "enabled", havingValue = "true")
	static class Emails {

		@Bean
		@ConditionalOnMissingBean
		EmailJobHandler jobQueueEmailJobHandler(JavaMailSender sender, JobQueueBuiltinProperties properties) {
			return new EmailJobHandler(sender, properties.getEmail().getFrom());
		}

		@Bean
		SmartInitializingSingleton jobQueueEmailJobRegistration(EmailJobHandler handler,
				JobQueueBuiltinProperties properties, JobQueueProperties queueProperties, RetryPolicy retryPolicy,
				JobHandlerEndpointRegistry registry, PayloadCodec codec) {
			JobQueueBuiltinProperties.Email email = properties.getEmail();
			HandlerOptions options = new HandlerOptions(
					retryPolicy.withMaxRetries(email.getMaxRetries()).withBackoff(backOff(email)), null);
			return () -> register(registry, handler,
					ReflectionUtils.findMethod(EmailJobHandler.class, "send", EmailMessage.class), email,
					queueProperties, options, codec);
		}

	}

	private static BackOff backOff(JobQueueBuiltinProperties.JobType type) {
		return BackOff.exponential(type.getBackOff(), 2.0, type.getMaxBackOff());
	}

	private static void register(JobHandlerEndpointRegistry registry, Object handler, Method method,
			JobQueueBuiltinProperties.JobType settings, JobQueueProperties queueProperties, HandlerOptions options,
			PayloadCodec codec) {
		String queue = (settings.getQueue() != null && !settings.getQueue().isBlank()) ? settings.getQueue()
				: queueProperties.getDefaultQueue();
		registry.register(MethodJobHandlerEndpoint.create(handler, method, settings.getType(), queue, options,
				List.of(new JobContextArgumentResolver(), new PayloadArgumentResolver(codec))));
	}

}
