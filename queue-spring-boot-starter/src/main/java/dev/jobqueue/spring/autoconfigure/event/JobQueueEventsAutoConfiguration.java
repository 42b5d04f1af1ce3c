package dev.jobqueue.spring.autoconfigure.event;

import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

import dev.jobqueue.core.event.EventStore;
import dev.jobqueue.core.event.RedisEventStore;
import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.QueueKeys;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.event.ApplicationEventBridge;
import dev.jobqueue.spring.queue.JobQueues;

/**
 * The queues' events: an {@link EventStore} over every configured queue (and shard), and, with
 * {@code jobqueue.events.application-events=true}, their publication as Spring application events.
 */
@AutoConfiguration(after = JobQueueAutoConfiguration.class)
@ConditionalOnBean(JobQueues.class)
@EnableConfigurationProperties(JobQueueEventsProperties.class)
public class JobQueueEventsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventStore jobQueueEventStore(JobQueues queues, JobQueueEventsProperties properties) {
		List<QueueKeys> stores = queues.names().stream().flatMap((name) -> queues.stores(name).stream())
			.map(JobStore::keys).toList();
		return new RedisEventStore(queues.redis(), stores, properties.toOptions());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "jobqueue.events", name = "application-events", havingValue = "true")
	ApplicationEventBridge jobQueueApplicationEventBridge(EventStore events, ApplicationEventPublisher publisher) {
		return new ApplicationEventBridge(events, publisher);
	}

}
