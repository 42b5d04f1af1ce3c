package dev.jobqueue.spring.autoconfigure.observation;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.jobqueue.spring.observation.JobObservations;

/**
 * Observes dispatches and attempts with the application's {@link ObservationRegistry}; with Micrometer Tracing
 * on the class path one trace spans a dispatch and every attempt of its job.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public class JobQueueObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JobObservations jobQueueObservations(ObservationRegistry registry) {
		return new JobObservations(registry);
	}

}
