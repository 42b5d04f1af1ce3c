package dev.jobqueue.spring.autoconfigure.web;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.JobQueueProperties;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.handler.MethodJobHandlerEndpoint;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.spring.web.GitHubSignatureVerifier;
import dev.jobqueue.spring.web.JobWebhookHandler;
import dev.jobqueue.spring.web.StandardWebhooksVerifier;
import dev.jobqueue.spring.web.StripeSignatureVerifier;
import dev.jobqueue.spring.web.WebhookSignatureVerifier;

/**
 * Maps each {@code jobqueue.webhooks.<name>.path} to a handler that turns signed requests into jobs,
 * in servlet web applications. A webhook without a path, job type or secret, or whose dedupe window
 * is shorter than its timestamp tolerance, fails start-up.
 */
@AutoConfiguration(after = JobQueueAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(JobQueues.class)
public class JobQueueWebhookAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "jobQueueWebhookHandlerMapping")
	SimpleUrlHandlerMapping jobQueueWebhookHandlerMapping(JobQueueProperties properties, JobQueues queues,
			JobHandlerEndpointRegistry registry, PayloadCodec codec) {
		Map<String, Object> handlers = new LinkedHashMap<>();
		properties.getWebhooks().forEach((name, webhook) -> {
			String prefix = "jobqueue.webhooks." + name + ".";
			require(webhook.getPath(), prefix + "path");
			require(webhook.getJobType(), prefix + "job-type");
			List<String> secrets = webhook.allSecrets();
			if (secrets.isEmpty()) {
				throw new IllegalStateException("Webhook '" + name + "' has no secret: set " + prefix + "secret");
			}
			if (webhook.getTolerance().compareTo(webhook.getDedupeWindow()) > 0) {
				throw new IllegalStateException("Webhook '" + name + "' accepts timestamps " + webhook.getTolerance()
						+ " old but recognises deliveries for " + webhook.getDedupeWindow() + " only: make " + prefix
						+ "dedupe-window at least " + prefix + "tolerance");
			}
			if (webhook.getMaxConcurrentReads() < 1) {
				throw new IllegalStateException("Set " + prefix + "max-concurrent-reads to 1 or more");
			}
			String queue = (webhook.getQueue() != null) ? webhook.getQueue()
					: registry.endpoint(webhook.getJobType()).map(MethodJobHandlerEndpoint::queue)
						.orElse(properties.getDefaultQueue());
			// A delivery is recognised through its job id, which the queue keeps taken for its idempotency window.
			if (webhook.getDedupeWindow().compareTo(queues.options(queue).idempotencyWindow()) > 0) {
				throw new IllegalStateException("Webhook '" + name + "' should recognise deliveries for "
						+ webhook.getDedupeWindow() + " but queue '" + queue + "' keeps job ids taken for "
						+ queues.options(queue).idempotencyWindow() + " only: raise jobqueue.jobs.idempotency-window "
						+ "or lower " + prefix + "dedupe-window");
			}
			handlers.put(webhook.getPath(), new JobWebhookHandler(name, webhook.getJobType(), queues.get(queue),
					verifier(webhook, secrets), webhook.getMaxBodySize().toBytes(), webhook.getMaxConcurrentReads(),
					webhook.getReadTimeout(), webhook.getHeaders(), codec, Clock.systemUTC()));
		});
		// Before the resource handler's catch-all mapping, which would otherwise answer these paths.
		return new SimpleUrlHandlerMapping(handlers, -1);
	}

	private static WebhookSignatureVerifier verifier(JobQueueProperties.Webhook webhook, List<String> secrets) {
		return switch (webhook.getScheme()) {
			case STANDARD -> new StandardWebhooksVerifier(secrets, webhook.getTolerance());
			case STRIPE -> new StripeSignatureVerifier(secrets, webhook.getTolerance());
			case GITHUB -> new GitHubSignatureVerifier(secrets);
		};
	}

	private static void require(String value, String property) {
		if (value == null || value.isBlank()) {
			throw new IllegalStateException("Set " + property + ": a webhook needs it");
		}
	}

}
