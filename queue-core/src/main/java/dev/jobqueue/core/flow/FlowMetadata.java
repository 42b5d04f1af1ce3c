package dev.jobqueue.core.flow;

/** Metadata keys a flow sets on its jobs, so handlers (and the worker) know what a job belongs to. */
public final class FlowMetadata {

	/** The id of the chain a job is a step of. */
	public static final String CHAIN = "jobqueue.chain";

	/** The step number (1 for the first) of a chain's job. */
	public static final String STEP = "jobqueue.step";

	/** The id of the batch a job is a member, or a callback, of. */
	public static final String BATCH = "jobqueue.batch";

	/** The queue whose store holds the flow of a job that runs on another queue (where its chain's results are). */
	public static final String HOME = "jobqueue.home";

	/** The unique key a job holds. */
	public static final String UNIQUE = "jobqueue.unique";

	/** {@code start} when the unique key is released as the job starts rather than when it finishes. */
	public static final String UNIQUE_UNTIL = "jobqueue.unique-until";

	private FlowMetadata() {
	}

}
