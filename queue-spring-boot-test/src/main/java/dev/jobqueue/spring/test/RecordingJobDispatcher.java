package dev.jobqueue.spring.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.flow.Batch;
import dev.jobqueue.core.flow.BatchStatus;
import dev.jobqueue.core.flow.Chain;
import dev.jobqueue.core.flow.ChainStatus;
import dev.jobqueue.core.queue.CancelResult;
import dev.jobqueue.spring.dispatch.DispatchOptions;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.dispatch.JobRef;
import dev.jobqueue.spring.dispatch.RedisJobDispatcher;

/**
 * The {@link JobDispatcher} of a test: records every {@code dispatch}, {@code dispatchAll} and
 * {@code dispatchAfter}, and every job of a chain or batch, then, as its {@link DispatchMode} says, stores
 * nothing, runs the handlers inline (a flow's in the flow's order), or hands the job or flow to
 * the application's own dispatcher. Cancel, pause and {@code dispatchSync} go to the application's dispatcher
 * unrecorded. A dispatch the application's dispatcher would hold until its transaction commits is recorded (and
 * run inline) at the commit, and not at all on a rollback. Flows are recorded only when the application's
 * dispatcher is the starter's {@link RedisJobDispatcher}. Thread-safe.
 */
public class RecordingJobDispatcher implements JobDispatcher {

	private static final boolean TRANSACTIONS_PRESENT = ClassUtils.isPresent(
			"org.springframework.transaction.support.TransactionSynchronizationManager",
			RecordingJobDispatcher.class.getClassLoader());

	private final JobDispatcher delegate;

	private final PayloadCodec codec;

	private final List<DispatchedJob> dispatched = new CopyOnWriteArrayList<>();

	private volatile DispatchMode mode;

	private volatile boolean afterCommit = true;

	/**
	 * @param delegate the application's dispatcher
	 * @param codec the payload codec, to record payloads as they would be stored
	 * @param mode what to do besides recording
	 */
	public RecordingJobDispatcher(JobDispatcher delegate, PayloadCodec codec, DispatchMode mode) {
		this.delegate = delegate;
		this.codec = codec;
		this.mode = mode;
		if (delegate instanceof RedisJobDispatcher redis) {
			redis.setFlowStore(new FlowRecorder(this, redis, codec));
		}
	}

	/** The application's dispatcher, which stores jobs in Redis. */
	public JobDispatcher delegate() {
		return this.delegate;
	}

	public DispatchMode mode() {
		return this.mode;
	}

	public void mode(DispatchMode mode) {
		this.mode = mode;
	}

	/** As {@code jobqueue.dispatch.after-commit}: whether dispatches inside a transaction count only once it commits. */
	public void setAfterCommit(boolean afterCommit) {
		this.afterCommit = afterCommit;
	}

	/** Every dispatch recorded since start or the last {@link #clear()}, in order. */
	public List<DispatchedJob> dispatched() {
		return List.copyOf(this.dispatched);
	}

	public void clear() {
		this.dispatched.clear();
	}

	void record(DispatchedJob job) {
		this.dispatched.add(job);
	}

	@Override
	public JobRef dispatch(String type, Object payload, DispatchOptions options) {
		DispatchedJob job = describe(type, payload, options);
		return switch (this.mode) {
			case RECORD -> {
				whenCommitted(options, () -> this.dispatched.add(job));
				yield JobRef.recorded(job.id(), job.queue());
			}
			case INLINE -> {
				whenCommitted(options, () -> {
					this.dispatched.add(job);
					this.delegate.dispatchSync(type, payload);
				});
				yield JobRef.recorded(job.id(), job.queue());
			}
			case ENQUEUE -> {
				// The application's dispatcher holds the job until the commit itself.
				JobRef ref = this.delegate.dispatch(type, payload, options.id(job.id()));
				whenCommitted(options, () -> this.dispatched.add(job));
				yield ref;
			}
		};
	}

	@Override
	public List<JobRef> dispatchAll(String type, List<?> payloads, DispatchOptions options) {
		if (this.mode != DispatchMode.ENQUEUE) {
			List<JobRef> refs = new ArrayList<>(payloads.size());
			payloads.forEach((payload) -> refs.add(dispatch(type, payload, options)));
			return refs;
		}
		List<DispatchedJob> jobs = payloads.stream().map((payload) -> describe(type, payload, options)).toList();
		List<JobRef> refs = this.delegate.dispatchAll(type, payloads, options);
		whenCommitted(options, () -> this.dispatched.addAll(jobs));
		return refs;
	}

	private DispatchedJob describe(String type, Object payload, DispatchOptions options) {
		String id = (options.id() != null) ? options.id() : UUID.randomUUID().toString();
		return new DispatchedJob(id, type, this.delegate.queueFor(type, options), this.codec.write(payload), options);
	}

	/** Now, or after the commit of the caller's transaction when the application's dispatcher would wait for it. */
	private void whenCommitted(DispatchOptions options, Runnable action) {
		boolean wanted = (options.afterCommit() != null) ? options.afterCommit() : this.afterCommit;
		if (!wanted || !TRANSACTIONS_PRESENT || !TransactionSynchronizationManager.isSynchronizationActive()
				|| !TransactionSynchronizationManager.isActualTransactionActive()) {
			action.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				action.run();
			}

		});
	}

	@Override
	public Optional<JobRef> find(String id) {
		return this.delegate.find(id);
	}

	@Override
	public String queueFor(String type, DispatchOptions options) {
		return this.delegate.queueFor(type, options);
	}

	@Override
	public Object dispatchSync(String type, Object payload) {
		return this.delegate.dispatchSync(type, payload);
	}

	@Override
	public Chain chain() {
		return this.delegate.chain();
	}

	@Override
	public Chain chain(String queue) {
		return this.delegate.chain(queue);
	}

	@Override
	public Batch batch() {
		return this.delegate.batch();
	}

	@Override
	public Batch batch(String queue) {
		return this.delegate.batch(queue);
	}

	@Override
	public Optional<ChainStatus> chainStatus(String queue, String id) {
		return this.delegate.chainStatus(queue, id);
	}

	@Override
	public Optional<BatchStatus> batchStatus(String queue, String id) {
		return this.delegate.batchStatus(queue, id);
	}

	@Override
	public CancelResult cancel(String queue, String id) {
		return this.delegate.cancel(queue, id);
	}

	@Override
	public void pause(String queue) {
		this.delegate.pause(queue);
	}

	@Override
	public void resume(String queue) {
		this.delegate.resume(queue);
	}

}
