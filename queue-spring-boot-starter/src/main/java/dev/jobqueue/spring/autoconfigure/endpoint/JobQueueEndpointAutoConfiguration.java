package dev.jobqueue.spring.autoconfigure.endpoint;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.jobqueue.core.schedule.Scheduler;
import dev.jobqueue.spring.actuate.endpoint.JobQueueEndpoint;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.coordination.JobQueueCoordinationAutoConfiguration;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.queue.JobQueues;

/** The {@code jobqueue} actuator endpoint, when actuator is present and the endpoint is exposed. */
@AutoConfiguration(after = { JobQueueAutoConfiguration.class, JobQueueCoordinationAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(JobQueues.class)
@ConditionalOnAvailableEndpoint(JobQueueEndpoint.class)
public class JobQueueEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JobQueueEndpoint jobQueueEndpoint(JobQueues queues, JobHandlerEndpointRegistry registry,
			ObjectProvider<Scheduler> scheduler) {
		return new JobQueueEndpoint(queues, registry, scheduler.getIfAvailable());
	}

}
