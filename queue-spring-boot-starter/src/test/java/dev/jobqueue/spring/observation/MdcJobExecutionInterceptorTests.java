package dev.jobqueue.spring.observation;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import dev.jobqueue.core.job.Job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** What the MDC holds while a handler runs and after, whatever the job's metadata says. */
class MdcJobExecutionInterceptorTests {

	@Test
	void carriedEntriesCannotOverwriteTheJobsOwnKeysAndNothingIsLeftAfterAFailure() {
		Job job = Job.ofJson("t", "{}").withQueue("default")
			.withMetadata(Map.of("mdc.jobId", "spoofed", "mdc.jobQueue", "other", "mdc.tenant", "acme"));
		assertThatIllegalStateException().isThrownBy(() -> new MdcJobExecutionInterceptor().invoke(job, new TestJobContext(job),
				() -> {
					assertThat(MDC.getCopyOfContextMap()).containsEntry("jobId", "j1").containsEntry("jobQueue", "default")
						.containsEntry("tenant", "acme");
					throw new IllegalStateException("boom");
				}));
		assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
	}

}
