package dev.jobqueue.spring.autoconfigure.endpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.jobqueue.spring.actuate.endpoint.JobQueueEndpoint;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may write through the endpoint, decided at start-up from the class path and the endpoint's access. */
@ExtendWith(OutputCaptureExtension.class)
class JobQueueEndpointAutoConfigurationTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private static final String WARNING = "Anyone who can reach the jobqueue actuator endpoint can retry, purge, delete and cancel jobs";

	// Upper case: unlike an application's, the runner's environment has no lenient enum conversion.
	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JobQueueAutoConfiguration.class, JobQueueEndpointAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.port=" + redis.server().port(),
					"management.endpoints.web.exposure.include=jobqueue");
	}

	@Test
	void unrestrictedAccessWithoutSpringSecurityIsAWarning(CapturedOutput output) {
		runner().withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withPropertyValues("management.endpoint.jobqueue.access=UNRESTRICTED")
			.run((context) -> assertThat(context).hasSingleBean(JobQueueEndpoint.class));
		assertThat(output).contains(WARNING).contains("management.endpoint.jobqueue.access=read-only");
	}

	@Test
	void readOnlyAccessWithoutSpringSecurityNeedsNoWarning(CapturedOutput output) {
		runner().withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> assertThat(context).hasSingleBean(JobQueueEndpoint.class));
		assertThat(output).doesNotContain(WARNING);
	}

	@Test
	void withSpringSecurityTheWriteRoleCannotBeLeftEmpty(CapturedOutput output) {
		runner().withPropertyValues("management.endpoint.jobqueue.access=UNRESTRICTED", "jobqueue.actuator.write-role=")
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause()
				.hasMessageContaining("Set jobqueue.actuator.write-role"));
		assertThat(output).doesNotContain(WARNING);
	}

}
