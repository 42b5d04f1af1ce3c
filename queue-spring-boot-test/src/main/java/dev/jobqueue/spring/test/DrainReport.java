package dev.jobqueue.spring.test;

import java.util.List;

/**
 * What {@link JobQueueTester#drain(String)} ran: the attempts that completed and those that failed, in
 * the order they ended. Immutable.
 *
 * @param completed the jobs that completed
 * @param failed the attempts that failed, whether the job will be retried or was dead-lettered
 */
public record DrainReport(List<Ran> completed, List<Failed> failed) {

	public DrainReport {
		completed = List.copyOf(completed);
		failed = List.copyOf(failed);
	}

	/** The types of the completed jobs, in order. */
	public List<String> completedTypes() {
		return this.completed.stream().map(Ran::type).toList();
	}

	/** The types of the failed attempts, in order. */
	public List<String> failedTypes() {
		return this.failed.stream().map(Failed::type).toList();
	}

	/** A job that completed. */
	public record Ran(String id, String type, int attempt) {
	}

	/** An attempt that failed: {@code deadLettered} when no retry is left, else it will run again later. */
	public record Failed(String id, String type, int attempt, Throwable error, boolean deadLettered) {

		@Override
		public String toString() {
			return this.type + " " + this.id + " attempt " + this.attempt + (this.deadLettered ? " (dead)" : " (retrying)")
					+ ": " + this.error;
		}

	}

}
