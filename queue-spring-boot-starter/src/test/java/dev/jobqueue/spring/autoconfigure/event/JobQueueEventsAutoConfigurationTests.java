package dev.jobqueue.spring.autoconfigure.event;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import dev.jobqueue.core.event.EventStore;
import dev.jobqueue.core.event.JobEvent;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.EventOptions;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.event.JobCompletedEvent;
import dev.jobqueue.spring.event.JobCreatedEvent;
import dev.jobqueue.spring.event.JobLifecycleEvent;
import dev.jobqueue.spring.event.JobStartedEvent;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JobQueueEventsAutoConfigurationTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JobQueueAutoConfiguration.class, JobQueueEventsAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.port=" + redis.server().port(), "jobqueue.worker.enabled=false");
	}

	@BeforeEach
	void flush() {
		redis.server().flushAll();
	}

	@Test
	void publishesEachEventAsASpringApplicationEventWhenAskedTo() {
		runner().withPropertyValues("jobqueue.events.application-events=true").withUserConfiguration(Listening.class)
			.run((context) -> {
				RedisJobQueue queue = context.getBean(JobQueues.class).redisQueue("default");
				Job job = Job.of("mail", Map.of());
				queue.enqueue(job);
				LeasedJob leased = queue.dequeue(Duration.ofSeconds(5)).orElseThrow();
				queue.settle(leased, new Outcome.Completed(null));

				Listening listening = context.getBean(Listening.class);
				await().atMost(Duration.ofSeconds(30)).until(() -> listening.received.size() >= 3);
				assertThat(listening.received).extracting(Object::getClass).containsExactly(JobCreatedEvent.class,
						JobStartedEvent.class, JobCompletedEvent.class);
				assertThat(listening.completed).singleElement().satisfies((event) -> {
					assertThat(event.jobId()).isEqualTo(job.id());
					assertThat(event.jobType()).isEqualTo("mail");
					assertThat(event.event().kind()).isEqualTo(JobEvent.COMPLETED);
				});
				assertThat(context.getBean(EventStore.class).jobEvents(job.id())).hasSize(3);
			});
	}

	@Test
	void writesNoEventsInModeNoneAndPublishesNothingByDefault() {
		runner().withPropertyValues("jobqueue.events.mode=none").run((context) -> {
			assertThat(context).hasSingleBean(EventStore.class).doesNotHaveBean("jobQueueApplicationEventBridge");
			RedisJobQueue queue = context.getBean(JobQueues.class).redisQueue("default");
			assertThat(queue.options().events().mode()).isEqualTo(EventOptions.Mode.NONE);
			queue.enqueue(Job.of("mail", Map.of()));
			assertThat(context.getBean(EventStore.class).recentEvents(10)).isEmpty();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Listening {

		final List<JobLifecycleEvent> received = new CopyOnWriteArrayList<>();

		final List<JobCompletedEvent> completed = new CopyOnWriteArrayList<>();

		@EventListener
		void on(JobLifecycleEvent event) {
			this.received.add(event);
		}

		@EventListener
		void onCompleted(JobCompletedEvent event) {
			this.completed.add(event);
		}

	}

}
