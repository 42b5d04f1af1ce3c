package dev.jobqueue.spring.flow;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.jobqueue.core.flow.BatchStatus;
import dev.jobqueue.core.flow.ChainStatus;
import dev.jobqueue.core.flow.FlowStatus;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.middleware.JobMiddleware;
import dev.jobqueue.core.queue.CancelResult;
import dev.jobqueue.spring.annotation.JobHandler;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.coordination.JobQueueCoordinationAutoConfiguration;
import dev.jobqueue.spring.dispatch.DispatchOptions;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.dispatch.JobRef;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Chains, batches, unique dispatches, middleware and hooks declared on {@code @JobHandler}, in a Spring context. */
class JobFlowsTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	record Order(String account, int amount, boolean dryRun) {
	}

	@BeforeEach
	void flush() {
		redis.server().flushAll();
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JobQueueAutoConfiguration.class, JobQueueCoordinationAutoConfiguration.class))
			.withUserConfiguration(Handlers.class)
			.withPropertyValues("spring.data.redis.port=" + redis.server().port(), "jobqueue.jobs.max-retries=0",
					"jobqueue.rate-limiters.payments.limit=1", "jobqueue.rate-limiters.payments.window=300ms");
	}

	@Test
	void chainsAndBatchesAreDispatchedThroughTheDispatcher() {
		runner().run((context) -> {
			JobDispatcher jobs = context.getBean(JobDispatcher.class);
			Handlers handlers = context.getBean(Handlers.class);
			ChainStatus chain = jobs.chain().add("charge", new Order("a", 1, false)).add("receipt", new Order("a", 1, false))
				.dispatch();
			BatchStatus batch = jobs.batch().add("charge", new Order("b", 2, false)).add("charge", new Order("c", 3, false))
				.onSuccess(Job.of("receipt", new Order("batch", 0, false))).dispatch();

			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				assertThat(jobs.chainStatus("default", chain.id()).orElseThrow().status()).isEqualTo(FlowStatus.COMPLETED);
				assertThat(jobs.batchStatus("default", batch.id()).orElseThrow().status()).isEqualTo(FlowStatus.SUCCEEDED);
				assertThat(handlers.seen).contains("receipt a after {\"charged\":1}", "receipt batch after none");
			});
		});
	}

	@Test
	void aUniqueDispatchReturnsTheJobHoldingTheKey() {
		runner().withPropertyValues("jobqueue.worker.enabled=false").run((context) -> {
			JobDispatcher jobs = context.getBean(JobDispatcher.class);
			JobRef first = jobs.dispatch("charge", new Order("a", 1, false), DispatchOptions.none().unique("charge:a"));
			JobRef second = jobs.dispatch("charge", new Order("a", 2, false), DispatchOptions.none().unique("charge:a"));

			assertThat(first.created()).isTrue();
			assertThat(second.created()).isFalse();
			assertThat(second.id()).isEqualTo(first.id());
			assertThat(second.existingState()).contains(JobState.PENDING);
			assertThat(jobs.cancel(first)).isEqualTo(CancelResult.CANCELLED);
			assertThat(jobs.dispatch("charge", new Order("a", 3, false), DispatchOptions.none().unique("charge:a")).created())
				.isTrue();
		});
	}

	@Test
	void annotationMiddlewareSkipsRateLimitsAndCallsTheFailedHook() {
		runner().run((context) -> {
			JobDispatcher jobs = context.getBean(JobDispatcher.class);
			Handlers handlers = context.getBean(Handlers.class);
			JobQueues queues = context.getBean(JobQueues.class);
			JobRef skipped = jobs.dispatch("charge", new Order("d", 1, true));
			List<JobRef> limited = jobs.dispatchAll("charge", List.of(new Order("e", 1, false), new Order("e", 2, false),
					new Order("e", 3, false)));
			JobRef failing = jobs.dispatch("refund", new Order("f", 9, false));

			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				assertThat(queues.get("default").get(skipped.id()).orElseThrow().state()).isEqualTo(JobState.SKIPPED);
				for (JobRef ref : limited) {
					assertThat(queues.get("default").get(ref.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
				}
				assertThat(queues.get("default").get(failing.id()).orElseThrow().state()).isEqualTo(JobState.DEAD);
				assertThat(handlers.seen).contains("failed f: no refunds");
			});
			assertThat(handlers.seen).doesNotContain("charge d");
			assertThat(handlers.seen).contains("audited charge");
		});
	}

	@Test
	void pausingAQueueThroughTheDispatcherHoldsItsJobs() {
		runner().run((context) -> {
			JobDispatcher jobs = context.getBean(JobDispatcher.class);
			JobQueues queues = context.getBean(JobQueues.class);
			jobs.pause("default");
			JobRef held = jobs.dispatch("receipt", new Order("p", 1, false));
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
				assertThat(queues.get("default").get(held.id()).orElseThrow().state()).isEqualTo(JobState.PENDING));
			jobs.resume("default");
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
				assertThat(queues.get("default").get(held.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@Bean
		JobMiddleware audit() {
			return (invocation) -> {
				this.seen.add("audited " + invocation.job().type());
				return invocation.proceed();
			};
		}

		@JobHandler(value = "charge", skipIf = "dryRun", rateLimiter = "payments", rateLimitKey = "account",
				withoutOverlapping = "account", middleware = "audit")
		Object charge(Order order) {
			this.seen.add("charge " + order.account());
			return java.util.Map.of("charged", order.amount());
		}

		@JobHandler("receipt")
		void receipt(Order order, JobContext context) {
			this.seen.add("receipt " + order.account() + " after " + context.previousResultJson().orElse("none"));
		}

		@JobHandler(value = "refund", onFailed = "refundFailed")
		void refund(Order order) {
			throw new IllegalStateException("no refunds");
		}

		void refundFailed(Order order, Throwable error) {
			this.seen.add("failed " + order.account() + ": " + error.getMessage());
		}

	}

}
