package dev.jobqueue.core.queue;

import java.util.List;

/**
 * A durable enqueue stored its jobs on the master, but fewer replicas than asked confirmed them in time:
 * they are stored, not yet replicated, and a failover now could lose them. The jobs stay enqueued;
 * {@link #results()} says what the enqueue did. Sending them again is safe for caller-chosen ids.
 */
public class NotReplicatedException extends RuntimeException {

	private final transient List<EnqueueResult> results;

	private final String where;

	private final int replicas;

	private final long confirmed;

	/** {@code where}: the store or queue, as the message names it, e.g. {@code {emails}} or {@code queue 'emails'}. */
	public NotReplicatedException(String where, List<EnqueueResult> results, int replicas, long confirmed) {
		super("Stored " + results.size() + " job(s) in " + where + " (first: " + results.get(0).id() + ") but only "
				+ confirmed + " of " + replicas + " replica(s) confirmed them in time: stored, not yet replicated; a "
				+ "failover of the master now could lose them");
		this.where = where;
		this.results = List.copyOf(results);
		this.replicas = replicas;
		this.confirmed = confirmed;
	}

	/** The same failure told about job {@code id} alone, for a caller whose job was sent together with others. */
	public NotReplicatedException about(String id) {
		List<EnqueueResult> own = this.results.stream().filter((result) -> result.id().equals(id)).toList();
		return own.isEmpty() ? this : new NotReplicatedException(this.where, own, this.replicas, this.confirmed);
	}

	/** What the enqueue did, job by job, as if it had succeeded. */
	public List<EnqueueResult> results() {
		return this.results;
	}

	/** The replicas asked for. */
	public int replicas() {
		return this.replicas;
	}

	/** The replicas that confirmed in time. */
	public long confirmed() {
		return this.confirmed;
	}

}
