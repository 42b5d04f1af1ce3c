package dev.jobqueue.spring.autoconfigure.coordination;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

import dev.jobqueue.spring.coordination.CoordinationMetrics;

/** Meters for lock waits, rate limiter denials, leadership changes and schedule fires. */
@AutoConfiguration(after = { JobQueueCoordinationAutoConfiguration.class, MetricsAutoConfiguration.class,
		CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnClass({ MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean(MeterRegistry.class)
public class JobQueueCoordinationMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CoordinationMetrics jobQueueCoordinationMetrics(MeterRegistry registry) {
		return new CoordinationMetrics(registry);
	}

}
