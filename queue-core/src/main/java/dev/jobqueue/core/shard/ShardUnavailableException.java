package dev.jobqueue.core.shard;

/**
 * A shard of a {@link ShardedQueue} could not be reached. For an enqueue, the job was not re-routed to another
 * shard (its id belongs to this one); whether it was stored is unknown when the connection broke mid-call,
 * so send it again with the same id once the shard is back.
 */
public class ShardUnavailableException extends RuntimeException {

	private final String queue;

	private final String shard;

	public ShardUnavailableException(String queue, String shard, String message, Throwable cause) {
		super("Shard " + shard + " of queue '" + queue + "' is unavailable: " + message, cause);
		this.queue = queue;
		this.shard = shard;
	}

	public String queue() {
		return this.queue;
	}

	/** The shard's hash tag, e.g. {@code emails#2}. */
	public String shard() {
		return this.shard;
	}

}
