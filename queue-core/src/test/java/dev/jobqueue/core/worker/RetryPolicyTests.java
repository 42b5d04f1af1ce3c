package dev.jobqueue.core.worker;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.jobqueue.core.job.BackOff;
import dev.jobqueue.core.job.Job;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTests {

	private final Job job = Job.of("t", "x");

	@Test
	void retriesUpToMaxRetriesWithTheBackoff() {
		RetryPolicy policy = RetryPolicy.defaults().withMaxRetries(2).withBackoff(BackOff.fixed(Duration.ofSeconds(3)));
		assertThat(policy.retryDelay(this.job, 1, new IOException())).isEqualTo(Duration.ofSeconds(3));
		assertThat(policy.retryDelay(this.job, 2, new IOException())).isEqualTo(Duration.ofSeconds(3));
		assertThat(policy.retryDelay(this.job, 3, new IOException())).isNull();
	}

	@Test
	void theJobsOwnLimitsWin() {
		RetryPolicy policy = RetryPolicy.defaults();
		Job own = this.job.withMaxRetries(0).withBackoff(BackOff.fixed(Duration.ofMinutes(1)));
		assertThat(policy.retryDelay(own, 1, new IOException())).isNull();
		assertThat(policy.retryDelay(this.job.withBackoff(BackOff.fixed(Duration.ofMinutes(1))), 1, new IOException()))
			.isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void nonRetryableErrorsAreFoundAnywhereInTheCauseChain() {
		RetryPolicy policy = RetryPolicy.defaults().withNonRetryable(IllegalArgumentException.class);
		assertThat(policy.retryDelay(this.job, 1, new RuntimeException(new NonRetryableJobException("no")))).isNull();
		assertThat(policy.retryDelay(this.job, 1, new RuntimeException(new IllegalArgumentException()))).isNull();
		assertThat(policy.retryDelay(this.job, 1, new RuntimeException(new IOException()))).isNotNull();
	}

	@Test
	void aCauseChainThatLoopsBackIsWalkedOnce() {
		RuntimeException first = new RuntimeException("first");
		RuntimeException second = new RuntimeException("second", first);
		first.initCause(second);

		assertThat(RetryPolicy.defaults().retryDelay(this.job, 1, first)).isEqualTo(java.time.Duration.ofSeconds(1));
	}

	@Test
	void anUnreadableJobGetsThePolicyDefaults() {
		assertThat(RetryPolicy.defaults().retryDelay(null, 1, new IOException())).isEqualTo(Duration.ofSeconds(1));
		assertThat(RetryPolicy.defaults().retryDelay(null, 4, new IOException())).isNull();
	}

}
