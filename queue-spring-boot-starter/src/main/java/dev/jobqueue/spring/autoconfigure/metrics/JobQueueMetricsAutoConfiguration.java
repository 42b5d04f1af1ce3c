package dev.jobqueue.spring.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.metrics.JobQueueMetrics;
import dev.jobqueue.spring.queue.JobQueues;

/** Job queue meters, when the application has a Micrometer registry. */
@AutoConfiguration(after = { JobQueueAutoConfiguration.class, MetricsAutoConfiguration.class,
		CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnClass({ MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean({ MeterRegistry.class, JobQueues.class })
public class JobQueueMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JobQueueMetrics jobQueueMetrics(JobQueues queues, JobHandlerEndpointRegistry workers) {
		return new JobQueueMetrics(queues, workers);
	}

}
