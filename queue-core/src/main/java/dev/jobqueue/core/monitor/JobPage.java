package dev.jobqueue.core.monitor;

import java.time.Instant;
import java.util.List;

import dev.jobqueue.core.job.JobState;

/**
 * One page of the jobs in one state of a queue.
 *
 * @param state the state browsed
 * @param total how many jobs are in that state now
 * @param offset the rank of the first entry
 * @param entries the jobs on this page, in the order asked for
 */
public record JobPage(JobState state, long total, long offset, List<Entry> entries) {

	/**
	 * A job on a page.
	 *
	 * @param id the job's id
	 * @param at the time its state is sorted by (due time, lease deadline or finish time), or
	 * {@code null} for a pending job
	 */
	public record Entry(String id, Instant at) {
	}

	public boolean hasNext() {
		return this.offset + this.entries.size() < this.total;
	}

}
