package dev.jobqueue.spring.dispatch;

import java.util.Optional;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.queue.CancelResult;

/**
 * What a {@link JobRef} reads and changes its job through: the dispatcher that made it, or a test double.
 * Errors of the store reach callers as {@link JobQueueException}.
 */
public interface JobAccess {

	/** The job as the queue knows it now, or empty when {@code queue} keeps no job {@code id}. */
	Optional<JobInfo> info(String queue, String id);

	CancelResult cancel(String queue, String id);

	/** The codec payloads are written with; results are read back with it. */
	PayloadCodec codec();

}
