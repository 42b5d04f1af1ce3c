package dev.jobqueue.spring.test;

/** What the test kit's {@link RecordingJobDispatcher} does with a dispatch besides recording it. */
public enum DispatchMode {

	/** Record only: nothing is stored in Redis and no handler runs. */
	RECORD,

	/** Record, then run the type's handler at once in the dispatching thread; what it throws reaches the caller. */
	INLINE,

	/** Record, then store the job in Redis as the application's dispatcher does ({@link JobQueueTester#drain} runs it). */
	ENQUEUE

}
