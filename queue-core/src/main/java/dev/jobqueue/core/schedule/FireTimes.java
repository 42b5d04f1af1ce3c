package dev.jobqueue.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * When a schedule fires: a cron expression in a time zone, or a fixed interval. Fire times are pure
 * functions of the definition, so every node computes the same instants. Immutable and thread-safe.
 */
public sealed interface FireTimes {

	/** The first fire time strictly after {@code after}, if any. */
	Optional<Instant> next(Instant after);

	/** The last fire time at or before {@code at}, if any. */
	Optional<Instant> latest(Instant at);

	/**
	 * A cron expression: five fields (minute to day of week, as Unix cron) or six with seconds first (as
	 * Spring's). Parsed and evaluated by cron-utils, including its DST behaviour: a time skipped by a
	 * spring-forward gap does not fire; a time repeated by a fall-back overlap is two instants and
	 * fires twice.
	 */
	static FireTimes cron(String expression, ZoneId zone) {
		return new CronTimes(expression, zone);
	}

	/** Every {@code interval}, at multiples of it since the epoch (so all nodes agree). */
	static FireTimes every(Duration interval) {
		return new Interval(interval);
	}

	/** Cron fire times; see {@link FireTimes#cron}. */
	record CronTimes(String expression, ZoneId zone, ExecutionTime execution) implements FireTimes {

		private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

		private static final CronParser WITH_SECONDS = new CronParser(
				CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

		CronTimes(String expression, ZoneId zone) {
			this(expression, zone, parse(expression));
		}

		public CronTimes {
			if (zone == null) {
				throw new IllegalArgumentException("A cron schedule needs a time zone");
			}
		}

		private static ExecutionTime parse(String expression) {
			if (expression == null || expression.isBlank()) {
				throw new IllegalArgumentException("A cron expression must not be empty");
			}
			int fields = expression.trim().split("\\s+").length;
			if (fields != 5 && fields != 6) {
				throw new IllegalArgumentException("A cron expression has 5 fields (minute hour day month weekday) "
						+ "or 6 (with seconds first), not " + fields + ": '" + expression + "'");
			}
			try {
				Cron cron = ((fields == 5) ? UNIX : WITH_SECONDS).parse(expression.trim()).validate();
				return ExecutionTime.forCron(cron);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("Invalid cron expression '" + expression + "': " + ex.getMessage(), ex);
			}
		}

		@Override
		public Optional<Instant> next(Instant after) {
			// cron-utils carries the sub-second part of its argument over; fire times are whole seconds.
			Instant second = after.truncatedTo(ChronoUnit.SECONDS);
			return this.execution.nextExecution(second.atZone(this.zone))
				.map((next) -> next.toInstant().truncatedTo(ChronoUnit.SECONDS))
				.filter((next) -> next.isAfter(after));
		}

		@Override
		public Optional<Instant> latest(Instant at) {
			// Cron times are whole seconds: the last one before the next second is at or before 'at'.
			Instant bound = at.plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
			return this.execution.lastExecution(bound.atZone(this.zone))
				.map((last) -> last.toInstant().truncatedTo(ChronoUnit.SECONDS))
				.filter((last) -> !last.isAfter(at));
		}

		@Override
		public String toString() {
			return "cron '" + this.expression + "' in " + this.zone;
		}

	}

	/** Fixed-interval fire times; see {@link FireTimes#every}. */
	record Interval(Duration interval) implements FireTimes {

		public Interval {
			if (interval == null || interval.toMillis() < 1) {
				throw new IllegalArgumentException("A schedule's interval must be at least 1 ms, not " + interval);
			}
		}

		@Override
		public Optional<Instant> next(Instant after) {
			long step = this.interval.toMillis();
			return Optional.of(Instant.ofEpochMilli(Math.floorDiv(after.toEpochMilli(), step) * step + step));
		}

		@Override
		public Optional<Instant> latest(Instant at) {
			long step = this.interval.toMillis();
			return Optional.of(Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), step) * step));
		}

		@Override
		public String toString() {
			return "every " + this.interval;
		}

	}

}
