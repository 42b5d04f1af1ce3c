package dev.jobqueue.core.job;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.jobqueue.core.codec.PayloadBindingException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JobTests {

	record Email(String to, String subject) {
	}

	@Test
	void aTypedJobCarriesItsPayloadAsJsonAndBindsItBack() {
		Job job = Job.of("send_email", new Email("ada@example.com", "Hello"));

		assertThat(job.payload()).isEqualTo("{\"to\":\"ada@example.com\",\"subject\":\"Hello\"}");
		assertThat(job.payloadAs(Email.class)).isEqualTo(new Email("ada@example.com", "Hello"));
		assertThat(job.priority()).isEqualTo(Priority.NORMAL);
		assertThat(job.id()).hasSize(20);
		assertThat(job.createdAt()).isBeforeOrEqualTo(Instant.now());
	}

	@Test
	void withersReturnChangedCopies() {
		Job job = Job.of("send_email", new Email("a", "b"));
		Job changed = job.withPriority(Priority.HIGH).withMaxRetries(7).withMetadata("tenant", "acme")
			.withTimeout(Duration.ofSeconds(30)).withId("order-1").withDelay(Duration.ofMinutes(5));

		assertThat(job.priority()).isEqualTo(Priority.NORMAL);
		assertThat(changed.priority()).isEqualTo(Priority.HIGH);
		assertThat(changed.maxRetries()).isEqualTo(7);
		assertThat(changed.metadata()).containsEntry("tenant", "acme");
		assertThat(changed.timeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(changed.id()).isEqualTo("order-1");
		assertThat(changed.delay()).isEqualTo(Duration.ofMinutes(5));
		assertThat(changed.withRunAt(Instant.EPOCH).delay()).isNull();
	}

	@Test
	void idsAreUniqueAndTimeOrdered() {
		String first = JobIds.next();
		java.util.Set<String> ids = new java.util.HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			ids.add(JobIds.next());
		}
		assertThat(ids).hasSize(100_000);
		assertThat(ids).allSatisfy((id) -> assertThat(id.substring(0, 9)).isGreaterThanOrEqualTo(first.substring(0, 9)));
	}

	@Test
	void rejectsWhatCannotBeAJob() {
		assertThatExceptionOfType(PayloadBindingException.class).isThrownBy(() -> Job.ofJson("t", "{not json"));
		assertThatIllegalArgumentException().isThrownBy(() -> Job.of("", "x"));
		assertThatIllegalArgumentException().isThrownBy(() -> Job.of("t", "x").withPriority(Priority.MAX + 1));
		assertThatIllegalArgumentException().isThrownBy(() -> Job.of("t", "x").withMaxRetries(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> Job.of("t", "x").withTimeout(Duration.ZERO));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Job.of("t", "x").withBackoff(BackOff.custom((retry, error) -> Duration.ZERO)))
			.withMessageContaining("RetryPolicy");
	}

	@Test
	void aPayloadThatDoesNotFitSaysWhy() {
		Job job = Job.ofJson("send_email", "{\"to\": [1, 2]}");
		assertThatExceptionOfType(PayloadBindingException.class).isThrownBy(() -> job.payloadAs(Email.class))
			.withMessageStartingWith("The payload does not bind to " + Email.class.getName());
	}

}
