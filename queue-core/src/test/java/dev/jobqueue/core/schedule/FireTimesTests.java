package dev.jobqueue.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FireTimesTests {

	@Test
	void aFiveFieldCronFiresOnMinutesInItsZone() {
		FireTimes daily = FireTimes.cron("30 2 * * *", ZoneId.of("Europe/Berlin"));

		assertThat(daily.next(Instant.parse("2026-01-10T00:00:00Z"))).contains(Instant.parse("2026-01-10T01:30:00Z"));
		assertThat(daily.latest(Instant.parse("2026-01-10T01:30:00Z"))).contains(Instant.parse("2026-01-10T01:30:00Z"));
		assertThat(daily.latest(Instant.parse("2026-01-10T01:29:59Z"))).contains(Instant.parse("2026-01-09T01:30:00Z"));
	}

	@Test
	void aSixFieldCronHasSeconds() {
		FireTimes everySecond = FireTimes.cron("* * * * * *", ZoneId.of("UTC"));

		assertThat(everySecond.next(Instant.parse("2026-01-10T00:00:00.250Z")))
			.contains(Instant.parse("2026-01-10T00:00:01Z"));
		assertThat(everySecond.next(Instant.parse("2026-01-10T00:00:01Z"))).contains(Instant.parse("2026-01-10T00:00:02Z"));
		assertThat(everySecond.latest(Instant.parse("2026-01-10T00:00:07.900Z")))
			.contains(Instant.parse("2026-01-10T00:00:07Z"));
	}

	@Test
	void aTimeSkippedBySpringForwardDoesNotFireOnThatDay() {
		// Berlin jumps from 02:00 to 03:00 on 2026-03-29.
		FireTimes daily = FireTimes.cron("30 2 * * *", ZoneId.of("Europe/Berlin"));

		Instant next = daily.next(Instant.parse("2026-03-28T02:00:00Z")).orElseThrow();
		assertThat(next).isNotEqualTo(Instant.parse("2026-03-29T00:30:00Z"));
		assertThat(next).isAfter(Instant.parse("2026-03-29T00:00:00Z"));
	}

	@Test
	void intervalsAreMultiplesSinceTheEpochSoEveryNodeAgrees() {
		FireTimes every = FireTimes.every(Duration.ofSeconds(10));

		assertThat(every.next(Instant.ofEpochSecond(1_000_003))).contains(Instant.ofEpochSecond(1_000_010));
		assertThat(every.next(Instant.ofEpochSecond(1_000_010))).contains(Instant.ofEpochSecond(1_000_020));
		assertThat(every.latest(Instant.ofEpochSecond(1_000_019))).contains(Instant.ofEpochSecond(1_000_010));
	}

	@Test
	void badDefinitionsAreClearErrors() {
		assertThatIllegalArgumentException().isThrownBy(() -> FireTimes.cron("61 * * * *", ZoneId.of("UTC")))
			.withMessageContaining("Invalid cron expression '61 * * * *'");
		assertThatIllegalArgumentException().isThrownBy(() -> FireTimes.cron("* * *", ZoneId.of("UTC")))
			.withMessageContaining("5 fields");
		assertThatIllegalArgumentException().isThrownBy(() -> FireTimes.every(Duration.ZERO))
			.withMessageContaining("interval");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Schedule("nightly", FireTimes.every(Duration.ofMinutes(1)), "report", "{oops", "default",
					null))
			.withMessageContaining("not JSON");
	}

}
