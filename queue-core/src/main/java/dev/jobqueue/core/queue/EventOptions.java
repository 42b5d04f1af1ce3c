package dev.jobqueue.core.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * Which lifecycle events a queue writes to its event stream, and how much of the stream Redis keeps (see
 * {@code dev.jobqueue.core.event.EventStore}). The scripts that change a job's state write its events in the
 * same call, so with {@link Mode#NONE} no event costs anything. Immutable.
 *
 * @param mode which events are written ({@link Mode#ALL} by default)
 * @param maxLength about how many events the stream keeps, counted per event (the oldest go first; 100,000 by default)
 * @param maxAge how long an event is kept at most, trimmed by the retention janitor (1 day by default)
 */
public record EventOptions(Mode mode, long maxLength, Duration maxAge) {

	public static final EventOptions DEFAULT = new EventOptions(Mode.ALL, 100_000, Duration.ofDays(1));

	/** Which events a queue writes. */
	public enum Mode {

		/** Every lifecycle step, progress updates included. */
		ALL("a"),

		/** Every lifecycle step except progress updates. */
		LIFECYCLE("l"),

		/** None: the scripts skip events at no cost. */
		NONE("n");

		private final String flag;

		Mode(String flag) {
			this.flag = flag;
		}

		/** Reads {@code all}, {@code lifecycle} or {@code none}, in any case. */
		public static Mode parse(String text) {
			for (Mode mode : values()) {
				if (mode.name().equalsIgnoreCase(text.trim())) {
					return mode;
				}
			}
			throw new IllegalArgumentException("Unknown event mode '" + text + "': use all, lifecycle or none");
		}

	}

	public EventOptions {
		Objects.requireNonNull(mode, "mode");
		if (maxLength < 1) {
			throw new IllegalArgumentException("An event stream must keep at least 1 event");
		}
		if (maxAge == null || maxAge.toMillis() < 1) {
			throw new IllegalArgumentException("Events must be kept at least 1 ms");
		}
	}

	/** The last argument of each script that writes events: mode, bounds and the worker writing them. */
	String scriptArgument(String workerId) {
		return "events\u001f" + this.mode.flag + "\u001f" + this.maxLength + "\u001f" + this.maxAge.toMillis() + "\u001f"
				+ ((workerId != null) ? workerId : "");
	}

}
