package dev.jobqueue.spring.autoconfigure;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.core.job.BackOff;
import dev.jobqueue.core.worker.RetryPolicy;
import dev.jobqueue.spring.actuate.endpoint.JobQueueEndpoint;
import dev.jobqueue.spring.annotation.JobHandler;
import dev.jobqueue.spring.autoconfigure.endpoint.JobQueueEndpointAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.health.JobQueueHealthContributorAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.metrics.JobQueueMetricsAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.web.JobQueueWebhookAutoConfiguration;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.health.JobQueueHealthIndicator;
import dev.jobqueue.spring.metrics.JobQueueMetrics;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

class JobQueueAutoConfigurationTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private static final AutoConfigurations ALL = AutoConfigurations.of(JobQueueAutoConfiguration.class,
			JobQueueHealthContributorAutoConfiguration.class, JobQueueMetricsAutoConfiguration.class,
			JobQueueEndpointAutoConfiguration.class, JobQueueWebhookAutoConfiguration.class);

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(ALL)
			.withPropertyValues("spring.data.redis.port=" + redis.server().port());
	}

	@Test
	void createsAClientForSpringDataRedisSettingsAndTheDefaultQueue() {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(UnifiedJedis.class).hasSingleBean(JobDispatcher.class)
				.hasSingleBean(JobHandlerEndpointRegistry.class).hasSingleBean(RetryPolicy.class);
			assertThat(context.getBean(UnifiedJedis.class).ping()).isEqualTo("PONG");
			assertThat(context.getBean(JobQueues.class).names()).containsExactly("default");
			assertThat(context.getBean(JobQueues.class).redisQueue("default").options().leaseDuration()).isEqualTo(Duration.ofSeconds(30));
		});
	}

	@Test
	void turnsJobqueuePropertiesIntoQueuesAndDefaults() {
		runner().withPropertyValues("jobqueue.key-prefix=shop", "jobqueue.queues.emails.concurrency=3",
				"jobqueue.queues.reports.lease-duration=2m", "jobqueue.jobs.max-retries=7",
				"jobqueue.jobs.backoff.kind=linear", "jobqueue.jobs.backoff.delay=2s", "jobqueue.jobs.backoff.increment=3s",
				"jobqueue.retention.completed.max-count=5", "jobqueue.retention.dead.max-age=1h").run((context) -> {
					JobQueues queues = context.getBean(JobQueues.class);
					assertThat(queues.names()).containsExactly("emails", "reports");
					assertThat(queues.redisQueue("emails").keys().all()).allMatch((key) -> key.startsWith("shop:{emails}:"));
					assertThat(queues.redisQueue("reports").options().leaseDuration()).isEqualTo(Duration.ofMinutes(2));
					assertThat(queues.redisQueue("emails").options().completed().maxCount()).isEqualTo(5);
					assertThat(queues.redisQueue("emails").options().dead().maxAge()).isEqualTo(Duration.ofHours(1));
					RetryPolicy policy = context.getBean(RetryPolicy.class);
					assertThat(policy.maxRetries()).isEqualTo(7);
					assertThat(policy.backoff()).isEqualTo(BackOff.linear(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofHours(1)));
				});
	}

	@Test
	void startsAWorkerPerQueueAndPerPool() {
		runner().withPropertyValues("jobqueue.queues.critical.concurrency=2", "jobqueue.queues.default.concurrency=4",
				"jobqueue.queues.emails.concurrency=3", "jobqueue.worker.pools.main.queues=critical,default",
				"jobqueue.worker.pools.main.concurrency=6").run((context) -> {
					JobHandlerEndpointRegistry registry = context.getBean(JobHandlerEndpointRegistry.class);
					assertThat(registry.isRunning()).isTrue();
					assertThat(registry.containers()).extracting((container) -> container.name() + container.queues())
						.containsExactly("main[critical, default]", "emails[emails]");
					assertThat(registry.containers()).allMatch((container) -> container.isRunning());
				});
	}

	@Test
	void aWebOnlyNodeDispatchesButRunsNoWorker() {
		runner().withPropertyValues("jobqueue.worker.enabled=false").withUserConfiguration(Handlers.class).run((context) -> {
			assertThat(context).hasSingleBean(JobDispatcher.class);
			assertThat(context.getBean(JobHandlerEndpointRegistry.class).containers()).isEmpty();
			assertThat(context.getBean(JobHandlerEndpointRegistry.class).endpoint("greet")).isPresent();
		});
	}

	@Test
	void backsOffForTheApplicationsOwnBeans() {
		runner().withUserConfiguration(OwnBeans.class).run((context) -> {
			assertThat(context.getBean(UnifiedJedis.class)).isSameAs(context.getBean(OwnBeans.class).client);
			assertThat(context.getBean(RetryPolicy.class).maxRetries()).isEqualTo(42);
		});
	}

	@Test
	void addsHealthEndpointAndMetricsOnlyWithTheirLibraries() {
		runner().withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("management.endpoints.web.exposure.include=jobqueue").run((context) -> {
				assertThat(context).hasSingleBean(JobQueueHealthIndicator.class).hasSingleBean(JobQueueMetrics.class);
			});
		runner().withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class, MeterRegistry.class))
			.run((context) -> assertThat(context).hasSingleBean(JobDispatcher.class)
				.doesNotHaveBean(JobQueueHealthIndicator.class).doesNotHaveBean(JobQueueMetrics.class)
				.doesNotHaveBean(JobQueueEndpoint.class));
		runner().run((context) -> assertThat(context).doesNotHaveBean(JobQueueMetrics.class));
		runner().withPropertyValues("management.health.jobqueue.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(JobQueueHealthIndicator.class));
	}

	@Test
	void mapsWebhooksInServletApplicationsOnly() {
		String[] webhook = { "spring.data.redis.port=" + redis.server().port(), "jobqueue.webhooks.stripe.path=/hooks/stripe",
				"jobqueue.webhooks.stripe.job-type=stripe_event", "jobqueue.webhooks.stripe.scheme=stripe",
				"jobqueue.webhooks.stripe.secret=whsec_test" };
		new WebApplicationContextRunner().withConfiguration(ALL).withPropertyValues(webhook).run((context) ->
			assertThat(context.getBean("jobQueueWebhookHandlerMapping", SimpleUrlHandlerMapping.class).getUrlMap())
				.containsOnlyKeys("/hooks/stripe"));
		runner().withPropertyValues(webhook).run((context) -> assertThat(context).doesNotHaveBean("jobQueueWebhookHandlerMapping"));
	}

	@Test
	void aWebhookWithoutASecretFailsStartUp() {
		new WebApplicationContextRunner().withConfiguration(ALL).withPropertyValues(
				"spring.data.redis.port=" + redis.server().port(), "jobqueue.webhooks.gh.path=/hooks/gh",
				"jobqueue.webhooks.gh.job-type=push").run((context) -> assertThat(context).hasFailed()
					.getFailure().rootCause().hasMessageContaining("jobqueue.webhooks.gh.secret"));
	}

	@Test
	void aWebhookThatForgetsDeliveriesBeforeTheirTimestampsExpireFailsStartUp() {
		new WebApplicationContextRunner().withConfiguration(ALL).withPropertyValues(
				"spring.data.redis.port=" + redis.server().port(), "jobqueue.webhooks.gh.path=/hooks/gh",
				"jobqueue.webhooks.gh.job-type=push", "jobqueue.webhooks.gh.secret=s", "jobqueue.webhooks.gh.tolerance=1h",
				"jobqueue.webhooks.gh.dedupe-window=10m").run((context) -> assertThat(context).hasFailed()
					.getFailure().rootCause().hasMessageContaining("make jobqueue.webhooks.gh.dedupe-window at least "
							+ "jobqueue.webhooks.gh.tolerance"));
	}

	@Test
	void aWebhookThatWouldRecogniseDeliveriesLongerThanItsQueueKeepsJobIdsFailsStartUp() {
		new WebApplicationContextRunner().withConfiguration(ALL).withPropertyValues(
				"spring.data.redis.port=" + redis.server().port(), "jobqueue.webhooks.gh.path=/hooks/gh",
				"jobqueue.webhooks.gh.job-type=push", "jobqueue.webhooks.gh.secret=s",
				"jobqueue.jobs.idempotency-window=1d").run((context) -> assertThat(context).hasFailed()
					.getFailure().rootCause().hasMessageContaining("raise jobqueue.jobs.idempotency-window or lower "
							+ "jobqueue.webhooks.gh.dedupe-window"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@JobHandler("greet")
		String greet(String name) {
			return "hello " + name;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBeans {

		final UnifiedJedis client = RedisClient.create(redis.server().host(), redis.server().port());

		@Bean
		UnifiedJedis myClient() {
			return this.client;
		}

		@Bean
		RetryPolicy myRetryPolicy() {
			return RetryPolicy.defaults().withMaxRetries(42);
		}

	}

}
