package com.example.shop;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.jobqueue.spring.test.DispatchMode;
import dev.jobqueue.spring.test.DrainReport;
import dev.jobqueue.spring.test.JobQueueTest;
import dev.jobqueue.spring.test.JobQueueTester;

import static org.assertj.core.api.Assertions.assertThat;

@JobQueueTest
class SignupTests {

	@Autowired
	Signup signup;

	@Autowired
	JobQueueTester jobs;

	@Test
	void signingUpDispatchesAWelcomeEmail() {
		this.signup.signUp("ada@example.com");

		this.jobs.dispatched()
			.hasDispatched("send_welcome").times(1).onQueue("emails")
			.withPayload(Emails.Welcome.class, (welcome) -> welcome.to().equals("ada@example.com"));
	}

	@Test
	void theHandlerReturnsAReceipt() {
		Emails.Receipt receipt = this.jobs.runJob("send_welcome", new Emails.Welcome("ada@example.com"),
				Emails.Receipt.class);

		assertThat(receipt.to()).isEqualTo("ada@example.com");
	}

	@Test
	void aBadAddressFails() {
		assertThat(this.jobs.expectJobToFail("send_welcome", new Emails.Welcome("nobody")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("not an email address");
	}

	@Test
	void theEmailsQueueRunsWhatWasDispatched() {
		this.jobs.dispatchMode(DispatchMode.ENQUEUE);
		this.signup.signUp("grace@example.com");
		this.signup.signUp("nobody");

		DrainReport report = this.jobs.drain("emails");

		assertThat(report.completedTypes()).containsExactly("send_welcome");
		assertThat(report.failed()).singleElement()
			.satisfies((failure) -> assertThat(failure.error()).hasMessageContaining("nobody"));
	}

}
