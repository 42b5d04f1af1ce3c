package dev.jobqueue.core.worker;

import java.time.Duration;

/** Durations as a person reads them: {@code 1.5 s}, {@code 250 ms}, {@code 2 min 3 s}, {@code 1 h 5 min}. */
public final class Durations {

	private Durations() {
	}

	public static String format(Duration duration) {
		long millis = duration.toMillis();
		if (millis < 1_000) {
			return millis + " ms";
		}
		if (millis < 60_000) {
			long tenths = Math.round(millis / 100.0);
			return (tenths % 10 == 0) ? (tenths / 10) + " s" : (tenths / 10) + "." + (tenths % 10) + " s";
		}
		long seconds = millis / 1_000;
		if (seconds < 3_600) {
			return (seconds / 60) + " min" + ((seconds % 60 != 0) ? " " + (seconds % 60) + " s" : "");
		}
		long minutes = seconds / 60;
		if (minutes < 1_440) {
			return (minutes / 60) + " h" + ((minutes % 60 != 0) ? " " + (minutes % 60) + " min" : "");
		}
		return (minutes / 1_440) + " d" + ((minutes % 1_440 / 60 != 0) ? " " + (minutes % 1_440 / 60) + " h" : "");
	}

}
