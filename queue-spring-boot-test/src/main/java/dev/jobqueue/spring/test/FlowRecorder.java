package dev.jobqueue.spring.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.flow.Batch;
import dev.jobqueue.core.flow.BatchStatus;
import dev.jobqueue.core.flow.Chain;
import dev.jobqueue.core.flow.ChainStatus;
import dev.jobqueue.core.flow.FlowInterceptor;
import dev.jobqueue.core.flow.FlowMetadata;
import dev.jobqueue.core.flow.FlowStatus;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.Priority;
import dev.jobqueue.spring.dispatch.DispatchOptions;
import dev.jobqueue.spring.dispatch.JobExecutionException;
import dev.jobqueue.spring.dispatch.RedisJobDispatcher;

/**
 * The {@link RecordingJobDispatcher}'s part in chains and batches: called by the application's dispatcher when a
 * flow's store is due (at the dispatch, or at the commit), its jobs already routed. Records every job of the flow
 * under the ids the flow gives them, then stores nothing, runs the flow inline, or stores it, as the mode says.
 * Inline, the jobs run one by one in the flow's order, each recorded as it starts: a chain's step sees the step
 * before it's result and a failed step ends the chain; a batch without {@code allowFailures} stops at its first
 * failed member (the rest count as cancelled); then the batch's callbacks run as they would fire. A job that throws
 * counts as dead at once (no retries) and is logged; it does not reach the caller, as a flow's failures do not.
 */
final class FlowRecorder implements FlowInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(FlowRecorder.class);

	private final RecordingJobDispatcher recorder;

	private final RedisJobDispatcher runner;

	private final PayloadCodec codec;

	FlowRecorder(RecordingJobDispatcher recorder, RedisJobDispatcher runner, PayloadCodec codec) {
		this.recorder = recorder;
		this.runner = runner;
		this.codec = codec;
	}

	@Override
	public ChainStatus dispatch(Chain chain, Supplier<ChainStatus> store) {
		return switch (this.recorder.mode()) {
			case RECORD -> {
				recordChain(chain, chain.id(), chain.id());
				yield new ChainStatus(chain.id(), FlowStatus.WAITING, 0, chain.steps().size(), 0, null, List.of());
			}
			case INLINE -> runChain(chain, chain.id(), chain.id());
			case ENQUEUE -> {
				recordChain(chain, chain.id(), chain.id());
				yield store.get();
			}
		};
	}

	@Override
	public BatchStatus dispatch(Batch batch, Supplier<BatchStatus> store) {
		return switch (this.recorder.mode()) {
			case RECORD -> {
				recordBatch(batch, batch.id(), batch.id());
				long total = batch.members().size();
				yield new BatchStatus(batch.id(), FlowStatus.WAITING, total, total, 0, 0, 0, batch.failuresAllowed());
			}
			case INLINE -> runBatch(batch, batch.id(), batch.id());
			case ENQUEUE -> {
				recordBatch(batch, batch.id(), batch.id());
				yield store.get();
			}
		};
	}

	private void recordChain(Chain chain, String id, String flow) {
		for (int k = 1; k <= chain.steps().size(); k++) {
			if (chain.steps().get(k - 1) instanceof Job job) {
				record(job, id + ":" + k, flow);
			}
			else {
				recordBatch((Batch) chain.steps().get(k - 1), id + ":" + k, flow);
			}
		}
	}

	private void recordBatch(Batch batch, String id, String flow) {
		for (int n = 1; n <= batch.members().size(); n++) {
			if (batch.members().get(n - 1) instanceof Job job) {
				record(job, id + ":" + n, flow);
			}
			else {
				recordChain((Chain) batch.members().get(n - 1), id + ":" + n, flow);
			}
		}
		Map<String, Job> callbacks = new LinkedHashMap<>();
		callbacks.put("on_success", batch.onSuccess());
		callbacks.put("on_failure", batch.onFailure());
		callbacks.put("on_complete", batch.onComplete());
		callbacks.forEach((name, job) -> {
			if (job != null) {
				record(job, id + ":" + name, flow);
			}
		});
	}

	private ChainStatus runChain(Chain chain, String id, String flow) {
		int steps = chain.steps().size();
		List<String> started = new ArrayList<>();
		String previousResult = null;
		for (int k = 1; k <= steps; k++) {
			String stepId = id + ":" + k;
			started.add(stepId);
			String error;
			if (chain.steps().get(k - 1) instanceof Job job) {
				Ran ran = run(job.withMetadata(FlowMetadata.CHAIN, id).withMetadata(FlowMetadata.STEP, String.valueOf(k)),
						stepId, flow, previousResult);
				previousResult = ran.result();
				error = ran.error();
			}
			else {
				BatchStatus batch = runBatch((Batch) chain.steps().get(k - 1), stepId, flow);
				previousResult = null;
				error = (batch.status() == FlowStatus.SUCCEEDED) ? null : "Batch " + stepId + " failed";
			}
			if (error != null) {
				return new ChainStatus(id, FlowStatus.FAILED, k, steps, k, error, started);
			}
		}
		return new ChainStatus(id, FlowStatus.COMPLETED, steps, steps, 0, null, started);
	}

	private BatchStatus runBatch(Batch batch, String id, String flow) {
		int total = batch.members().size();
		int successful = 0;
		int failed = 0;
		for (int n = 1; n <= total && (failed == 0 || batch.failuresAllowed()); n++) {
			boolean ok = (batch.members().get(n - 1) instanceof Job job)
					? run(job.withMetadata(FlowMetadata.BATCH, id), id + ":" + n, flow, null).error() == null
					: runChain((Chain) batch.members().get(n - 1), id + ":" + n, flow).status() == FlowStatus.COMPLETED;
			successful += ok ? 1 : 0;
			failed += ok ? 0 : 1;
		}
		boolean succeeded = successful == total;
		callbacks(batch, succeeded).forEach((name, job) -> run(job.withMetadata(FlowMetadata.BATCH, id), id + ":" + name,
				flow, null));
		return new BatchStatus(id, succeeded ? FlowStatus.SUCCEEDED : FlowStatus.FAILED, total, 0, successful, failed,
				total - successful - failed, batch.failuresAllowed());
	}

	/** The callbacks a batch that ended so fires, in the order it fires them, by the name their ids end with. */
	private static Map<String, Job> callbacks(Batch batch, boolean succeeded) {
		Map<String, Job> callbacks = new LinkedHashMap<>();
		if (succeeded && batch.onSuccess() != null) {
			callbacks.put("on_success", batch.onSuccess());
		}
		if (!succeeded && batch.onFailure() != null) {
			callbacks.put("on_failure", batch.onFailure());
		}
		if (batch.onComplete() != null) {
			callbacks.put("on_complete", batch.onComplete());
		}
		return callbacks;
	}

	private Ran run(Job job, String id, String flow, String previousResult) {
		record(job, id, flow);
		try {
			Object result = this.runner.runInline(job.withId(id), previousResult);
			return new Ran((result != null) ? this.codec.write(result) : null, null);
		}
		catch (RuntimeException | Error ex) {
			Throwable cause = (ex instanceof JobExecutionException && ex.getCause() != null) ? ex.getCause() : ex;
			logger.warn("Job {} ({}) of flow {} failed inline: {}", id, job.type(), flow, cause.toString());
			return new Ran(null, (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getName());
		}
	}

	private void record(Job job, String id, String flow) {
		DispatchOptions options = DispatchOptions.onQueue(job.queue());
		if (job.delay() != null) {
			options = options.delay(job.delay());
		}
		if (job.runAt() != null) {
			options = options.runAt(job.runAt());
		}
		if (job.priority() != Priority.NORMAL) {
			options = options.priority(job.priority());
		}
		if (job.maxRetries() != null) {
			options = options.maxRetries(job.maxRetries());
		}
		if (job.timeout() != null) {
			options = options.timeout(job.timeout());
		}
		this.recorder.record(new DispatchedJob(id, job.type(), job.queue(), job.payload(), options, flow));
	}

	/** A job run inline: its result JSON, or why it failed. */
	private record Ran(String result, String error) {
	}

}
