package dev.jobqueue.spring.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.flow.Batch;
import dev.jobqueue.core.flow.BatchStatus;
import dev.jobqueue.core.flow.Chain;
import dev.jobqueue.core.flow.ChainStatus;
import dev.jobqueue.core.flow.FlowInterceptor;
import dev.jobqueue.core.flow.FlowStatus;
import dev.jobqueue.core.flow.Flows;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.StopReason;
import dev.jobqueue.core.queue.CancelResult;
import dev.jobqueue.core.queue.Durability;
import dev.jobqueue.core.queue.EnqueueResult;
import dev.jobqueue.core.queue.JobQueue;
import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.handler.MethodJobHandlerEndpoint;
import dev.jobqueue.spring.queue.JobQueues;

/**
 * A {@link JobDispatcher} that stores jobs in the application's Redis queues, and the {@link JobAccess} of the
 * handles it returns. Thread-safe; configure it (routes, after-commit) before it is shared.
 */
public class RedisJobDispatcher implements JobDispatcher, JobAccess {

	private static final Logger logger = LoggerFactory.getLogger(RedisJobDispatcher.class);

	private static final boolean TRANSACTIONS_PRESENT = ClassUtils.isPresent(
			"org.springframework.transaction.support.TransactionSynchronizationManager",
			RedisJobDispatcher.class.getClassLoader());

	private final JobQueues queues;

	private final JobHandlerEndpointRegistry endpoints;

	private final PayloadCodec codec;

	private final String defaultQueue;

	private final Map<String, Flows> flows = new ConcurrentHashMap<>();

	private final Durability durability;

	private Map<String, String> routes = Map.of();

	private boolean afterCommit = true;

	private DispatchInterceptor interceptor = DispatchInterceptor.NONE;

	private FlowInterceptor flowStore = FlowInterceptor.NONE;

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

	/** Sends each job type to a queue, ahead of its handler's queue; every route's queue must be configured. */
	public void setRoutes(Map<String, String> routes) {
		routes.forEach((type, queue) -> {
			if (!this.queues.contains(queue)) {
				throw new IllegalStateException("jobqueue.routes." + type + " names queue '" + queue
						+ "', which is not configured (configured: " + this.queues.names() + ")");
			}
		});
		this.routes = Map.copyOf(routes);
	}

	/** Whether dispatches inside a transaction wait for its commit unless their options say otherwise. */
	public void setAfterCommit(boolean afterCommit) {
		this.afterCommit = afterCommit;
	}

	/** What runs around each dispatch: tracing, context carried in the job's metadata. */
	public void setInterceptor(DispatchInterceptor interceptor) {
		this.interceptor = interceptor;
	}

	/**
	 * What stores each chain and batch once its store is due (at the dispatch, or at the commit), after its jobs
	 * were routed and traced: the test kit's recorder.
	 */
	public void setFlowStore(FlowInterceptor flowStore) {
		this.flowStore = flowStore;
	}

	@Override
	public JobRef dispatch(String type, Object payload, DispatchOptions options) {
		Job job = job(type, payload, options);
		return this.interceptor.dispatch(job, (traced) -> {
			if (deferred(options)) {
				afterCommit("Job " + traced.id() + " (" + traced.type() + ") was", () -> store(traced, options));
				return ref(traced, EnqueueResult.created(traced.id()));
			}
			return store(traced, options);
		});
	}

	private JobRef store(Job job, DispatchOptions options) {
		return redis(() -> "Could not dispatch job " + job.id() + " (" + job.type() + ") to queue '" + job.queue() + "'",
				() -> {
					if (options.unique() != null) {
						EnqueueResult result = flows(job.queue()).enqueueUnique(job, options.unique(),
								options.uniqueUntilStart());
						return new JobRef(result.id(), job.queue(), result.created(), result.existing(), this);
					}
					JobQueue queue = this.queues.get(job.queue());
					return ref(job, options.durable() ? queue.enqueue(job, this.durability) : queue.enqueue(job));
				});
	}

	/** Inside a transaction that synchronizes, and unless told to store at once. */
	private boolean deferred(DispatchOptions options) {
		boolean wanted = (options.afterCommit() != null) ? options.afterCommit() : this.afterCommit;
		return wanted && TRANSACTIONS_PRESENT && TransactionSynchronizationManager.isSynchronizationActive()
				&& TransactionSynchronizationManager.isActualTransactionActive();
	}

	/**
	 * Stores after the commit; a failure then reaches the code that committed (the data is committed, the job
	 * is not stored) and is logged, as the dispatching code has returned already. One synchronization per
	 * transaction holds all its stores, so that one failing store does not keep the others from being tried
	 * and logged (Spring stops calling synchronizations at the first that throws).
	 */
	private void afterCommit(String what, Runnable store) {
		for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
			if (synchronization instanceof StoresAfterCommit stores && stores.dispatcher == this && !stores.ran) {
				stores.add(what, store);
				return;
			}
		}
		StoresAfterCommit stores = new StoresAfterCommit(this);
		stores.add(what, store);
		TransactionSynchronizationManager.registerSynchronization(stores);
	}

	/**
	 * The stores one transaction's dispatches wait to run. A dispatch from another synchronization's
	 * {@code afterCommit} registers too late for that phase: Spring runs it only at completion, so it stores there.
	 */
	private static final class StoresAfterCommit implements TransactionSynchronization {

		private final RedisJobDispatcher dispatcher;

		private final Map<Runnable, String> stores = new LinkedHashMap<>();

		private boolean ran;

		StoresAfterCommit(RedisJobDispatcher dispatcher) {
			this.dispatcher = dispatcher;
		}

		void add(String what, Runnable store) {
			this.stores.put(store, what);
		}

		@Override
		public void afterCommit() {
			this.ran = true;
			RuntimeException failure = null;
			for (Map.Entry<Runnable, String> store : this.stores.entrySet()) {
				try {
					store.getKey().run();
				}
				catch (RuntimeException ex) {
					logger.error("{} not stored after the transaction committed: {}", store.getValue(), ex.getMessage());
					if (failure == null) {
						failure = ex;
					}
					else {
						failure.addSuppressed(ex);
					}
				}
			}
			if (failure != null) {
				throw failure;
			}
		}

		@Override
		public void afterCompletion(int status) {
			if (status == STATUS_COMMITTED && !this.ran) {
				afterCommit();
			}
		}

	}

	@Override
	public Optional<JobRef> find(String id) {
		return redis(() -> "Could not look up job " + id, () -> {
			List<Map.Entry<String, Response<Boolean>>> replies = new ArrayList<>();
			try (AbstractPipeline pipeline = this.queues.redis().pipelined()) {
				for (String queue : this.queues.names()) {
					for (JobStore store : this.queues.stores(queue)) {
						replies.add(Map.entry(queue, pipeline.hexists(store.keys().key("jobs"), id)));
					}
				}
				pipeline.sync();
			}
			Set<String> holders = new TreeSet<>();
			replies.stream().filter((reply) -> reply.getValue().get()).forEach((reply) -> holders.add(reply.getKey()));
			if (holders.size() > 1) {
				// Ids are unique per queue only: a caller-chosen id may be on several, and picking one would be a guess.
				throw new IllegalStateException("Job id " + id + " is held by queues " + holders
						+ ": look it up on its queue");
			}
			return holders.stream().findFirst().map((queue) -> new JobRef(id, queue, false, null, this));
		});
	}

	@Override
	public Optional<JobInfo> info(String queue, String id) {
		return redis(() -> "Could not read job " + id + " of queue '" + queue + "'", () -> this.queues.get(queue).get(id));
	}

	@Override
	public PayloadCodec codec() {
		return this.codec;
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
		return redis(() -> "Could not cancel " + id + " of queue '" + queue + "'", () -> this.queues.get(queue).cancel(id));
	}

	@Override
	public void pause(String queue) {
		redis(() -> "Could not pause queue '" + queue + "'", () -> {
			this.queues.get(queue).pause();
			return null;
		});
	}

	@Override
	public void resume(String queue) {
		redis(() -> "Could not resume queue '" + queue + "'", () -> {
			this.queues.get(queue).resume();
			return null;
		});
	}

	/** Runs a Redis call; a client error becomes one {@link JobQueueException} whose message says what failed. */
	private static <T> T redis(Supplier<String> what, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (JedisException ex) {
			throw new JobQueueException(what.get() + ": " + firstLine(ex), ex);
		}
	}

	private static String firstLine(Throwable error) {
		String message = (error.getMessage() != null) ? error.getMessage() : error.getClass().getSimpleName();
		int newline = message.indexOf('\n');
		return (newline < 0) ? message : message.substring(0, newline);
	}

	private Flows flows(String queue) {
		return this.flows.computeIfAbsent(queue,
				(name) -> new Flows(this.queues.redisQueue(name)).interceptor(new FlowDispatch(name)));
	}

	/**
	 * A chain's or batch's dispatch on the path of a single job's: each of its jobs routed (an unknown type
	 * refused), all carrying the context of one {@code jobqueue.dispatch} observation, stored after the commit.
	 */
	private final class FlowDispatch implements FlowInterceptor {

		private final String home;

		FlowDispatch(String home) {
			this.home = home;
		}

		@Override
		public ChainStatus dispatch(Chain chain, Supplier<ChainStatus> store) {
			return dispatchFlow("chain", chain.id(), chain::mapJobs, () -> RedisJobDispatcher.this.flowStore
				.dispatch(chain, store), new ChainStatus(chain.id(), FlowStatus.WAITING, 0, chain.steps().size(), 0, null, List.of()));
		}

		@Override
		public BatchStatus dispatch(Batch batch, Supplier<BatchStatus> store) {
			long total = batch.members().size();
			return dispatchFlow("batch", batch.id(), batch::mapJobs, () -> RedisJobDispatcher.this.flowStore
				.dispatch(batch, store), new BatchStatus(batch.id(), FlowStatus.WAITING, total, total, 0, 0, 0, batch.failuresAllowed()));
		}

		private <S> S dispatchFlow(String kind, String id, Consumer<UnaryOperator<Job>> mapJobs, Supplier<S> store,
				S waiting) {
			// The interceptors see the flow as one job of type jobqueue.<kind>; what they carry goes into every job.
			Job flow = Job.ofJson("jobqueue." + kind, "{}").withId(id).withQueue(this.home);
			String what = kind + " " + id + " of queue '" + this.home + "'";
			return RedisJobDispatcher.this.interceptor.dispatch(flow, (traced) -> {
				mapJobs.accept((job) -> flowJob(job, traced.metadata()));
				Supplier<S> storing = () -> redis(() -> "Could not dispatch " + what, store);
				if (deferred(DispatchOptions.none())) {
					afterCommit(Character.toUpperCase(what.charAt(0)) + what.substring(1) + " was", storing::get);
					return waiting;
				}
				return storing.get();
			});
		}

	}

	/**
	 * A flow's job routed as a single dispatch of its type would be, unless it names its queue, and carrying
	 * {@code carried} under its own metadata.
	 */
	private Job flowJob(Job job, Map<String, String> carried) {
		String queue = queueFor(job.type(),
				(job.queue() != null) ? DispatchOptions.onQueue(job.queue()) : DispatchOptions.none());
		this.queues.get(queue); // refuses a queue the application does not configure, before anything is stored
		Map<String, String> metadata = new LinkedHashMap<>(carried);
		metadata.putAll(job.metadata());
		return job.withQueue(queue).withMetadata(metadata);
	}

	@Override
	public List<JobRef> dispatchAll(String type, List<?> payloads, DispatchOptions options) {
		if (options.id() != null && payloads.size() > 1) {
			throw new IllegalArgumentException("One id cannot be the idempotency key of " + payloads.size() + " jobs");
		}
		if (options.unique() != null) {
			throw new IllegalArgumentException("One unique key admits one job at a time: dispatch unique jobs one by one");
		}
		List<Job> jobs = new ArrayList<>(payloads.size());
		for (Object payload : payloads) {
			jobs.add(this.interceptor.dispatch(job(type, payload, options), (traced) -> traced));
		}
		if (deferred(options)) {
			afterCommit(jobs.size() + " jobs of type " + type + " were", () -> storeAll(jobs, options));
			return jobs.stream().map((job) -> ref(job, EnqueueResult.created(job.id()))).toList();
		}
		return storeAll(jobs, options);
	}

	private List<JobRef> storeAll(List<Job> jobs, DispatchOptions options) {
		Map<String, List<Job>> byQueue = new LinkedHashMap<>();
		jobs.forEach((job) -> byQueue.computeIfAbsent(job.queue(), (queue) -> new ArrayList<>()).add(job));
		Map<Job, EnqueueResult> results = new IdentityHashMap<>();
		byQueue.forEach((queue, batch) -> redis(() -> "Could not dispatch " + batch.size() + " jobs to queue '" + queue
				+ "'", () -> {
					JobQueue jobQueue = this.queues.get(queue);
					List<EnqueueResult> stored = options.durable() ? jobQueue.enqueueAll(batch, this.durability)
							: jobQueue.enqueueAll(batch);
					for (int i = 0; i < batch.size(); i++) {
						results.put(batch.get(i), stored.get(i));
					}
					return null;
				}));
		return jobs.stream().map((job) -> ref(job, results.get(job))).toList();
	}

	private JobRef ref(Job job, EnqueueResult result) {
		return new JobRef(job.id(), job.queue(), result.created(), result.existing(), this);
	}

	@Override
	public Object dispatchSync(String type, Object payload) {
		// The handler first: a type without one says so rather than being refused as unknown by the routing.
		MethodJobHandlerEndpoint endpoint = handler(type);
		return runInline(endpoint, job(type, payload, DispatchOptions.none()), null);
	}

	/**
	 * Runs {@code job}'s handler now as {@link #dispatchSync} does; its context gives {@code previousResultJson}
	 * (may be {@code null}) as a chain's step's does. Nothing is stored.
	 */
	public Object runInline(Job job, String previousResultJson) {
		return runInline(handler(job.type()), job, previousResultJson);
	}

	private MethodJobHandlerEndpoint handler(String type) {
		return this.endpoints.endpoint(type)
			.orElseThrow(() -> new IllegalArgumentException("No @JobHandler for job type '" + type + "' in this application"));
	}

	private Object runInline(MethodJobHandlerEndpoint endpoint, Job job, String previousResultJson) {
		Job run = job.withAttempts(1);
		try {
			return endpoint.invoke(run, new InlineJobContext(run, previousResultJson, this.codec));
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new JobExecutionException("Job type '" + job.type() + "' failed: " + ex.getMessage(), ex);
		}
	}

	private Job job(String type, Object payload, DispatchOptions options) {
		Job job = Job.of(type, payload, this.codec);
		job = job.withQueue(queueFor(type, options));
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

	@Override
	public String queueFor(String type, DispatchOptions options) {
		checkKnown(type);
		if (options.queue() != null) {
			return options.queue();
		}
		String routed = this.routes.get(type);
		if (routed != null) {
			return routed;
		}
		return this.endpoints.endpoint(type).map(MethodJobHandlerEndpoint::queue).orElse(this.defaultQueue);
	}

	/**
	 * Once routes or handlers name the job types, a type outside them is refused here rather than retried on a
	 * worker that does not know it.
	 */
	private void checkKnown(String type) {
		if (this.routes.containsKey(type) || this.endpoints.endpoint(type).isPresent()) {
			return;
		}
		Set<String> known = new TreeSet<>(this.routes.keySet());
		if (known.isEmpty() && this.endpoints.endpoints().isEmpty()) {
			return;
		}
		this.endpoints.endpoints().forEach((endpoint) -> known.add(endpoint.type()));
		throw new IllegalArgumentException("Unknown job type '" + type + "': known types are " + known
				+ ". Add a @JobHandler for it, or route it with jobqueue.routes." + type + "=<queue>");
	}

	/** The context of a job run by {@link #dispatchSync}: told to stop only when its thread is interrupted; progress is not stored. */
	private record InlineJobContext(Job job, String previousResult, PayloadCodec codec) implements JobContext {

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

		@Override
		public Optional<String> previousResultJson() {
			return Optional.ofNullable(this.previousResult);
		}

		@Override
		public <T> Optional<T> previousResult(Class<T> type) {
			return previousResultJson().map((json) -> this.codec.read(json, type));
		}

	}

}
