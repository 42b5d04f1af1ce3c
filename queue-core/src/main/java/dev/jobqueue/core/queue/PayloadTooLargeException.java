package dev.jobqueue.core.queue;

/** A job was refused at enqueue because its payload is larger than its queue allows; nothing was stored. */
public class PayloadTooLargeException extends IllegalArgumentException {

	private final long size;

	private final long limit;

	public PayloadTooLargeException(String jobId, String queue, long size, long limit) {
		super("The payload of job " + jobId + " is " + size + " bytes, more than the " + limit + " bytes queue '" + queue
				+ "' accepts (QueueOptions.maxPayloadSize, jobqueue.jobs.max-payload-size); store large data elsewhere "
				+ "and pass a reference");
		this.size = size;
		this.limit = limit;
	}

	public long size() {
		return this.size;
	}

	public long limit() {
		return this.limit;
	}

}
