package dev.jobqueue.core.middleware;

import java.time.Duration;
import java.util.Objects;

/** What a {@link JobMiddleware} returns instead of proceeding, to end the attempt without running the handler. */
public sealed interface Decision {

	/** Back to scheduled after {@code delay}: not a failure, and no retry is used up. */
	static Decision handBack(Duration delay) {
		return new HandBack(delay);
	}

	/** The job ends as skipped, with {@code reason} kept as its result; it does not run again. */
	static Decision skip(String reason) {
		return new Skip(reason);
	}

	record HandBack(Duration delay) implements Decision {

		public HandBack {
			Objects.requireNonNull(delay, "delay");
			if (delay.isNegative()) {
				throw new IllegalArgumentException("A hand-back delay must not be negative");
			}
		}

	}

	record Skip(String reason) implements Decision {

		public Skip {
			Objects.requireNonNull(reason, "reason");
		}

	}

}
