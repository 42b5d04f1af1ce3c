package dev.jobqueue.spring.autoconfigure.health;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.JobQueueProperties;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.health.JobQueueHealthIndicator;
import dev.jobqueue.spring.queue.JobQueues;

/** The {@code jobqueue} health indicator, when Spring Boot's health support is present. */
@AutoConfiguration(after = JobQueueAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(JobQueues.class)
@ConditionalOnEnabledHealthIndicator("jobqueue")
public class JobQueueHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "jobqueueHealthIndicator")
	JobQueueHealthIndicator jobqueueHealthIndicator(JobQueues queues, JobHandlerEndpointRegistry registry,
			JobQueueProperties properties) {
		return new JobQueueHealthIndicator(queues, registry, properties.getWorker().isEnabled());
	}

}
