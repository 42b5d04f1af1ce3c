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
	void storesOnlyWhatDiffersFromTheDefaults() {
		Job job = Job.ofJson("send_email", "{\"to\":\"a\"}");
		assertThat(this.envelope.encode(job))
			.isEqualTo("{\"type\":\"send_email\",\"payload\":{\"to\":\"a\"},\"createdAt\":" + job.createdAt().toEpochMilli() + "}");
	}

	@Test
	void corruptDataIsReportedInPlainWords() {
		assertThatExceptionOfType(CorruptJobException.class).isThrownBy(() -> this.envelope.decode("j1", "q", "[1,2", 1))
			.withMessageStartingWith("Job j1 is stored as something that is not JSON");
		assertThatExceptionOfType(CorruptJobException.class)
			.isThrownBy(() -> this.envelope.decode("j1", "q", "{\"payload\":{},\"createdAt\":1}", 1))
			.withMessage("Job j1 is stored corrupt: no type");
		assertThatExceptionOfType(CorruptJobException.class)
			.isThrownBy(() -> this.envelope.decode("j1", "q", "{\"type\":\"t\",\"payload\":{},\"createdAt\":1,\"backoff\":{\"kind\":\"java.lang.Runtime\"}}", 1))
			.withMessageContaining("unknown back-off kind");
	}

}
