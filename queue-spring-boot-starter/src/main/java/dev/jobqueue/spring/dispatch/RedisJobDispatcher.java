package dev.jobqueue.spring.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.flow.Batch;
import dev.jobqueue.core.flow.BatchStatus;
import dev.jobqueue.core.flow.Chain;
import dev.jobqueue.core.flow.ChainStatus;
import dev.jobqueue.core.flow.Flows;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.job.StopReason;
import dev.jobqueue.core.queue.CancelResult;
import dev.jobqueue.core.queue.Durability;
import dev.jobqueue.core.queue.EnqueueResult;
import dev.jobqueue.core.queue.JobQueue;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.handler.MethodJobHandlerEndpoint;
import dev.jobqueue.spring.queue.JobQueues;

/** A {@link JobDispatcher} that stores jobs in the application's Redis queues. Thread-safe. */
public class RedisJobDispatcher implements JobDispatcher {

	private final JobQueues queues;

	private final JobHandlerEndpointRegistry endpoints;

	private final PayloadCodec codec;

	private final String defaultQueue;

	private final Map<String, Flows> flows = new ConcurrentHashMap<>();

	private final Durability durability;

	public RedisJobDispatcher(JobQueues queues, JobHandlerEndpointRegistry endpoints, PayloadCodec codec,
			String defaultQueue) {
		this(queues, endpoints, codec, defaultQueue, Durability.replicas(1, Duration.ofSeconds(1)));
	}

	/** A dispatcher whose {@link DispatchOptions#durably() durable} dispatches wait for replicas as {@code durability} says. */
	public RedisJobDispatcher(JobQueues queues, JobHandlerEndpointRegistry endpoints, PayloadCodec codec,
			String defaultQueue, Durability durability) {
		this.queues = queues;
		this.endpoints = endpoints;
		this.codec = codec;
		this.defaultQueue = defaultQueue;
		this.durability = durability;
	}

	@Override
	public JobRef dispatch(String type, Object payload, DispatchOptions options) {
		Job job = job(type, payload, options);
		if (options.unique() != null) {
			EnqueueResult result = flows(job.queue()).enqueueUnique(job, options.unique(), options.uniqueUntilStart());
			return new JobRef(result.id(), job.queue(), result.created(), result.existing());
		}
		JobQueue queue = this.queues.get(job.queue());
		return ref(job, options.durable() ? queue.enqueue(job, this.durability) : queue.enqueue(job));
	}

	@Override
	public Chain chain() {
		return chain(this.defaultQueue);
	}

	@Override
	public Chain chain(String queue) {
		return flows(queue).chain();
	}

	@Override
	public Batch batch() {
		return batch(this.defaultQueue);
	}

	@Override
	public Batch batch(String queue) {
		return flows(queue).batch();
	}

	@Override
	public Optional<ChainStatus> chainStatus(String queue, String id) {
		return flows(queue).chainStatus(id);
	}

	@Override
	public Optional<BatchStatus> batchStatus(String queue, String id) {
		return flows(queue).batchStatus(id);
	}

	@Override
	public CancelResult cancel(String queue, String id) {
		return this.queues.get(queue).cancel(id);
	}

	@Override
	public void pause(String queue) {
		this.queues.get(queue).pause();
	}

	@Override
	public void resume(String queue) {
		this.queues.get(queue).resume();
	}

	private Flows flows(String queue) {
		return this.flows.computeIfAbsent(queue, (name) -> new Flows(this.queues.redisQueue(name)));
	}

	@Override
	public List<JobRef> dispatchAll(String type, List<?> payloads, DispatchOptions options) {
		if (options.id() != null && payloads.size() > 1) {
			throw new IllegalArgumentException("One id cannot be the idempotency key of " + payloads.size() + " jobs");
		}
		if (options.unique() != null) {
			throw new IllegalArgumentException("One unique key admits one job at a time: dispatch unique jobs one by one");
		}
		Map<String, List<Job>> byQueue = new LinkedHashMap<>();
		List<Job> jobs = new ArrayList<>(payloads.size());
		for (Object payload : payloads) {
			Job job = job(type, payload, options);
			jobs.add(job);
			byQueue.computeIfAbsent(job.queue(), (queue) -> new ArrayList<>()).add(job);
		}
		Map<Job, EnqueueResult> results = new IdentityHashMap<>();
		byQueue.forEach((queue, batch) -> {
			JobQueue jobQueue = this.queues.get(queue);
			List<EnqueueResult> stored = options.durable() ? jobQueue.enqueueAll(batch, this.durability)
					: jobQueue.enqueueAll(batch);
			for (int i = 0; i < batch.size(); i++) {
				results.put(batch.get(i), stored.get(i));
			}
		});
		return jobs.stream().map((job) -> ref(job, results.get(job))).toList();
	}

	private static JobRef ref(Job job, EnqueueResult result) {
		return new JobRef(job.id(), job.queue(), result.created(), result.existing());
	}

	@Override
	public Object dispatchSync(String type, Object payload) {
		MethodJobHandlerEndpoint endpoint = this.endpoints.endpoint(type)
			.orElseThrow(() -> new IllegalArgumentException("No @JobHandler for job type '" + type + "' in this application"));
		Job job = job(type, payload, DispatchOptions.none()).withAttempts(1);
		try {
			return endpoint.invoke(job, new InlineJobContext(job));
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new JobExecutionException("Job type '" + type + "' failed: " + ex.getMessage(), ex);
		}
	}

	private Job job(String type, Object payload, DispatchOptions options) {
		Job job = Job.of(type, payload, this.codec);
		String queue = (options.queue() != null) ? options.queue()
				: this.endpoints.endpoint(type).map(MethodJobHandlerEndpoint::queue).orElse(this.defaultQueue);
		job = job.withQueue(queue);
		if (options.id() != null) {
			job = job.withId(options.id());
		}
		if (options.priority() != null) {
			job = job.withPriority(options.priority());
		}
		if (options.maxRetries() != null) {
			job = job.withMaxRetries(options.maxRetries());
		}
		if (options.timeout() != null) {
			job = job.withTimeout(options.timeout());
		}
		if (options.delay() != null) {
			job = job.withDelay(options.delay());
		}
		if (options.runAt() != null) {
			job = job.withRunAt(options.runAt());
		}
		if (!options.metadata().isEmpty()) {
			job = job.withMetadata(options.metadata());
		}
		return job;
	}

	/** The context of a job run by {@link #dispatchSync}: told to stop only when its thread is interrupted; progress is not stored. */
	private record InlineJobContext(Job job) implements JobContext {

		@Override
		public String jobId() {
			return this.job.id();
		}

		@Override
		public String type() {
			return this.job.type();
		}

		@Override
		public String queue() {
			return this.job.queue();
		}

		@Override
		public int attempt() {
			return 1;
		}

		@Override
		public Map<String, String> metadata() {
			return this.job.metadata();
		}

		@Override
		public Optional<StopReason> stopReason() {
			return Thread.currentThread().isInterrupted() ? Optional.of(StopReason.SHUTDOWN) : Optional.empty();
		}

		@Override
		public void updateProgress(int progress) {
		}

	}

}
