package dev.jobqueue.spring.autoconfigure.endpoint;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

import dev.jobqueue.core.schedule.Scheduler;
import dev.jobqueue.spring.actuate.endpoint.JobQueueEndpoint;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.JobQueueProperties;
import dev.jobqueue.spring.autoconfigure.coordination.JobQueueCoordinationAutoConfiguration;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.queue.JobQueues;

/**
 * The {@code jobqueue} actuator endpoint, when actuator is present and the endpoint is exposed.
 * With Spring Security on the class path, its write operations need {@code jobqueue.actuator.write-role};
 * without it, unrestricted access is logged as a warning at start-up, since anyone who reaches the
 * endpoint can then change jobs.
 */
@AutoConfiguration(after = { JobQueueAutoConfiguration.class, JobQueueCoordinationAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(JobQueues.class)
@ConditionalOnAvailableEndpoint(JobQueueEndpoint.class)
public class JobQueueEndpointAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(JobQueueEndpointAutoConfiguration.class);

	private static final String SPRING_SECURITY = "org.springframework.security.core.Authentication";

	@Bean
	@ConditionalOnMissingBean
	JobQueueEndpoint jobQueueEndpoint(JobQueues queues, JobHandlerEndpointRegistry registry,
			JobQueueProperties properties, ApplicationContext context, ObjectProvider<Scheduler> scheduler) {
		JobQueueProperties.Actuator actuator = properties.getActuator();
		boolean security = ClassUtils.isPresent(SPRING_SECURITY, context.getClassLoader());
		if (!security && new PropertiesEndpointAccessResolver(context.getEnvironment())
			.accessFor(EndpointId.of("jobqueue"), Access.READ_ONLY) == Access.UNRESTRICTED) {
			logger.warn("Anyone who can reach the jobqueue actuator endpoint can retry, purge, delete and cancel jobs: "
					+ "its access is unrestricted and Spring Security is not on the class path. Add Spring Security "
					+ "(write operations then need role {}, jobqueue.actuator.write-role) or set "
					+ "management.endpoint.jobqueue.access=read-only", actuator.getWriteRole());
		}
		if (security && (actuator.getWriteRole() == null || actuator.getWriteRole().isBlank())) {
			throw new IllegalStateException("Set jobqueue.actuator.write-role: with Spring Security, the jobqueue "
					+ "endpoint's write operations need a role");
		}
		return new JobQueueEndpoint(queues, registry, security ? actuator.getWriteRole() : null,
				Show.valueOf(actuator.getShowDetails().name()), scheduler.getIfAvailable());
	}

}
