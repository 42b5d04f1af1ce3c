package dev.jobqueue.core.queue;

import java.time.Duration;
import java.util.Objects;

import dev.jobqueue.core.job.JobError;

/** How an attempt of a leased job ends. Each is written by the one settle script, behind one fencing check. */
public sealed interface Outcome {

	/** The handler succeeded; {@code resultJson} (or {@code null}) is kept with the completed job. */
	record Completed(String resultJson) implements Outcome {
	}

	/** The attempt failed; the job runs again after {@code delay}. Counts as a failure. */
	record Retry(Duration delay, JobError error) implements Outcome {

		public Retry {
			Objects.requireNonNull(delay, "delay");
			Objects.requireNonNull(error, "error");
		}

	}

	/** The attempt failed for good: the job goes to the dead-letter queue. Counts as a failure. */
	record Dead(JobError error) implements Outcome {

		public Dead {
			Objects.requireNonNull(error, "error");
		}

	}

	/**
	 * The worker gives the job back without a failure: at the front of its priority now, or after
	 * {@code delay}. When the handler never started, the attempt does not count.
	 */
	record HandedBack(Duration delay, boolean started) implements Outcome {

		public HandedBack {
			Objects.requireNonNull(delay, "delay");
		}

	}

	/** The job was cancelled while it ran; it does not run again. */
	record Cancelled() implements Outcome {
	}

	/** The job decided not to run (e.g. a skip-if middleware); {@code reasonJson} is kept as its result. */
	record Skipped(String reasonJson) implements Outcome {

		public Skipped {
			Objects.requireNonNull(reasonJson, "reasonJson");
		}

	}

	/**
	 * The job brought its worker's process down (it called {@code System.exit}): counted as a stall, so a job
	 * that does so every time ends in the dead-letter queue instead of killing every restart.
	 */
	record Crashed(JobError error) implements Outcome {

		public Crashed {
			Objects.requireNonNull(error, "error");
		}

	}

	/**
	 * The attempt finished, but its outcome could not be written before its lease ran out, and the job was
	 * reclaimed to run again. Needs no lease: when the reclaimed lease was this one, its stall is taken back,
	 * since the attempt was not unfinished. The job still runs again.
	 */
	record FinishedLate() implements Outcome {
	}

}
