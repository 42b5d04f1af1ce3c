package dev.jobqueue.core.queue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.job.BackOff;
import dev.jobqueue.core.job.Job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JobEnvelopeTests {

	private final JobEnvelope envelope = new JobEnvelope(PayloadCodec.defaults());

	@Test
	void aJobSurvivesTheRoundTripWithEveryOption() {
		for (BackOff backoff : new BackOff[] { BackOff.fixed(Duration.ofSeconds(1), Duration.ofSeconds(9)),
				BackOff.linear(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(1)),
				BackOff.exponential(Duration.ofMillis(500), 3, Duration.ofHours(2)).withJitter(0.1) }) {
			Job job = Job.ofJson("send_email", "{\"to\":\"a\",\"n\":[1,2]}").withPriority(7).withMaxRetries(4)
				.withMetadata("trace", "t-1").withTimeout(Duration.ofSeconds(90)).withBackoff(backoff);

			Job read = this.envelope.decode(job.id(), "emails", this.envelope.encode(job), 3);

			assertThat(read).isEqualTo(job.withQueue("emails").withAttempts(3));
		}
	}

	@Test
	void storesAPlainJobAsItsTypeAndThePayloadAsGivenWhenItsIdCarriesItsCreationTime() {
		Job job = Job.ofJson("send_email", "{\"to\":\"a\"}");
		assertThat(this.envelope.encode(job)).isEqualTo("send_email\n{\"to\":\"a\"}");
		assertThat(this.envelope.decode(job.id(), "emails", "send_email\n{\"to\":\"a\"}", 0)).isEqualTo(job.withQueue("emails"));
	}

	@Test
	void storesAHeaderLineWithTheCreationTimeAndThePayloadAsGivenOtherwise() {
		Job job = Job.ofJson("send_email", "{\"to\":\"a\"}").withId("order-42");
		assertThat(this.envelope.encode(job)).isEqualTo("send_email\t" + job.createdAt().toEpochMilli() + "\t\n{\"to\":\"a\"}");
		assertThat(this.envelope.decode(job.id(), "emails", this.envelope.encode(job), 0).createdAt()).isEqualTo(job.createdAt());
		assertThat(this.envelope.encode(job.withPriority(5))).startsWith("send_email\t" + job.createdAt().toEpochMilli()
				+ "\t{\"priority\":5}\n");
	}

	@Test
	void corruptDataIsReportedInPlainWords() {
		assertThatExceptionOfType(CorruptJobException.class).isThrownBy(() -> this.envelope.decode("j1", "q", "{not json", 1))
			.withMessageStartingWith("Job j1 is stored corrupt: the header line is not");
		assertThatExceptionOfType(CorruptJobException.class).isThrownBy(() -> this.envelope.decode("j1", "q", "t\n{}", 1))
			.withMessage("Job j1 is stored corrupt: its header line has no creation time and its id carries none");
		assertThatExceptionOfType(CorruptJobException.class).isThrownBy(() -> this.envelope.decode("j1", "q", "t\tabc\t\n{}", 1))
			.withMessageStartingWith("Job j1 is stored corrupt: ");
		assertThatExceptionOfType(CorruptJobException.class).isThrownBy(() -> this.envelope.decode("j1", "q", "\t1\t\n{}", 1))
			.withMessage("Job j1 is stored corrupt: A job type must not be empty");
		assertThatExceptionOfType(CorruptJobException.class).isThrownBy(() -> this.envelope.decode("j1", "q", "t\t1\t[1,\n{}", 1))
			.withMessageStartingWith("Job j1 is stored corrupt: the options are not");
		assertThatExceptionOfType(CorruptJobException.class)
			.isThrownBy(() -> this.envelope.decode("j1", "q", "t\t1\t{\"backoff\":{\"kind\":\"java.lang.Runtime\"}}\n{}", 1))
			.withMessageContaining("unknown back-off kind");
	}

}
