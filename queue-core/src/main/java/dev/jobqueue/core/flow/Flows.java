package dev.jobqueue.core.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.CancelResult;
import dev.jobqueue.core.queue.EnqueueResult;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.RedisJobStore;
import dev.jobqueue.core.redis.RedisClock;
import dev.jobqueue.core.redis.RedisScript;
import dev.jobqueue.core.shard.ShardLayouts;
import dev.jobqueue.core.shard.ShardedQueue;
import tools.jackson.databind.JsonNode;

/**
 * Chains, batches and unique jobs on one queue. Every flow's record lives under the queue's hash tag and is
 * updated by the same Lua script that settles, reaps or cancels its jobs, so counts, next steps and callbacks
 * happen exactly once however workers die, and each step stays one atomic script on Redis Cluster. A flow's job
 * for another queue is enqueued there, and its outcome brought back, by {@link FlowRelay} (at least once, with an
 * effect exactly once). Finished flows' records are kept for {@link #keepFinished} (7 days by default), then
 * removed. Thread-safe.
 */
public final class Flows {

	static final RedisScript DISPATCH = RedisScript.load(RedisJobStore.class, "flow_dispatch");

	static final RedisScript RELEASE = RedisScript.load(RedisJobStore.class, "flow_release");

	/** Most jobs per dispatch call, as for plain enqueues: one call keeps Redis busy for a few ms at most. */
	private static final int CALL_JOBS = 200;

	private static final int CALL_BYTES = 512 * 1024;

	private final RedisJobQueue queue;

	private final RedisJobStore store;

	private volatile boolean relayOnDispatch = true;

	private volatile Duration keep = Duration.ofDays(7);

	/** Other queues this dispatcher's flows have jobs on, checked once (see checkTarget). */
	private final Set<String> checkedTargets = ConcurrentHashMap.newKeySet();

	private volatile FlowInterceptor interceptor = FlowInterceptor.NONE;

	public Flows(RedisJobQueue queue) {
		this.queue = Objects.requireNonNull(queue, "queue");
		this.store = queue.store();
	}

	/** Leaves what a dispatch owes other queues to the workers' relay (tests of a crash before the relay ran). */
	Flows relayOnDispatch(boolean relay) {
		this.relayOnDispatch = relay;
		return this;
	}

	/** How long the record of a finished chain or batch stays readable. */
	public Flows keepFinished(Duration keep) {
		if (keep == null || keep.toMillis() < 1) {
			throw new IllegalArgumentException("Finished flows must be kept at least 1 ms");
		}
		this.keep = keep;
		return this;
	}

	/** What every chain's and batch's dispatch goes through before it is stored (none by default). */
	public Flows interceptor(FlowInterceptor interceptor) {
		this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
		return this;
	}

	FlowInterceptor interceptor() {
		return this.interceptor;
	}

	public RedisJobQueue queue() {
		return this.queue;
	}

	PayloadCodec codec() {
		return this.queue.options().codec();
	}

	/** A new chain on this queue, to fill and dispatch. */
	public Chain chain() {
		return new Chain(this);
	}

	/** A new batch on this queue, to fill and dispatch. */
	public Batch batch() {
		return new Batch(this);
	}

	/**
	 * Enqueues {@code job} unless another job holding {@code key} is still pending, scheduled, retrying or
	 * running; then the result names that job (its id, {@code created == false} and its state). The key is
	 * released by the script that completes, skips, dead-letters or cancels the holder (a worker killed while
	 * running it only delays that: the job runs again, or is dead-lettered by the reaper, which releases it).
	 * With {@code untilStart}, the key is released as the job starts instead, so one more may wait meanwhile.
	 */
	public EnqueueResult enqueueUnique(Job job, String key, boolean untilStart) {
		checkId(key);
		Job unique = job.withMetadata(FlowMetadata.UNIQUE, key);
		if (untilStart) {
			unique = unique.withMetadata(FlowMetadata.UNIQUE_UNTIL, "start");
		}
		long delay = (job.delay() != null) ? job.delay().toMillis()
				: (job.runAt() != null) ? Math.max(1, job.runAt().toEpochMilli() - redisNow()) : 0;
		List<String> ops = new ArrayList<>(List.of("job", unique.id(), this.store.envelopeOf(unique),
				String.valueOf(unique.priority()), String.valueOf(delay), "", key));
		Object reply = ((List<?>) send(List.of(ops))).get(0);
		if (reply instanceof Long created) {
			return (created == 1) ? EnqueueResult.created(job.id())
					: new EnqueueResult(job.id(), false, this.queue.get(job.id()).map((info) -> info.state()).orElse(null));
		}
		String holder = (String) reply;
		return new EnqueueResult(holder, false, this.queue.get(holder).map((info) -> info.state()).orElse(JobState.UNKNOWN));
	}

	public EnqueueResult enqueueUnique(Job job, String key) {
		return enqueueUnique(job, key, false);
	}

	/** The id of the job holding a unique key, if one does. */
	public Optional<String> uniqueHolder(String key) {
		return Optional.ofNullable(this.store.redis().hget(this.store.keys().key("uniques"), key));
	}

	/** Releases a unique key if {@code jobId} holds it; {@code false} otherwise. */
	public boolean releaseUnique(String key, String jobId) {
		return releaseUnique(this.store, key, jobId);
	}

	/** Releases a unique key of {@code store} if {@code jobId} holds it (a worker does so as such a job starts). */
	public static boolean releaseUnique(RedisJobStore store, String key, String jobId) {
		return ((Long) store.execute(RELEASE, List.of(), List.of(key, jobId))) == 1;
	}

	/** A chain's status, while its record is kept. */
	public Optional<ChainStatus> chainStatus(String id) {
		Map<String, String> fields = read("chains", id, "status", "step", "steps", "failed_step", "error");
		if (fields.get("status") == null) {
			return Optional.empty();
		}
		int steps = parseInt(fields.get("steps"));
		int step = parseInt(fields.get("step"));
		List<String> names = new ArrayList<>();
		for (int k = 1; k <= step; k++) {
			names.add(id + ":job:" + k);
		}
		List<String> jobs = names.isEmpty() ? List.of()
				: this.store.redis().hmget(this.store.keys().key("chains"), names.toArray(String[]::new));
		String error = fields.get("error");
		if (error != null) {
			JsonNode json = codec().readTree(error);
			error = json.path("message").asString(error);
		}
		return Optional.of(new ChainStatus(id, FlowStatus.fromId(fields.get("status")), step, steps,
				parseInt(fields.get("failed_step")), error, jobs.stream().filter(Objects::nonNull).toList()));
	}

	/** A batch's status and counts, while its record is kept. */
	public Optional<BatchStatus> batchStatus(String id) {
		Map<String, String> fields = read("batches", id, "status", "total", "pending", "failed", "cancelled", "allow");
		if (fields.get("status") == null) {
			return Optional.empty();
		}
		long total = parseInt(fields.get("total"));
		long pending = parseInt(fields.get("pending"));
		long failed = parseInt(fields.get("failed"));
		long cancelled = parseInt(fields.get("cancelled"));
		return Optional.of(new BatchStatus(id, FlowStatus.fromId(fields.get("status")), total, pending,
				total - pending - failed - cancelled, failed, cancelled, "1".equals(fields.get("allow"))));
	}

	/**
	 * The result JSON a chain's step completed with, while the chain's record is kept; empty for a step that
	 * returned nothing, was skipped, or has not completed.
	 */
	public Optional<String> stepResult(String chainId, int step) {
		return Optional.ofNullable(this.store.redis().hget(this.store.keys().key("chains"), chainId + ":result:" + step));
	}

	/**
	 * Cancels a job, a chain or a batch by id: a chain's pending step is cancelled and no further step is
	 * enqueued; a batch's waiting members are cancelled and its running ones stopped at their worker's next
	 * heartbeat. One script, like {@link RedisJobQueue#cancel}, which does the same; members on other queues count
	 * as cancelled at once and are cancelled on their queues by the relay, which this runs at once (the workers'
	 * relay otherwise, within a reaper interval).
	 */
	public CancelResult cancel(String id) {
		CancelResult result = this.queue.cancel(id);
		relayNow();
		return result;
	}

	private Map<String, String> read(String part, String id, String... names) {
		String[] fields = new String[names.length];
		for (int i = 0; i < names.length; i++) {
			fields[i] = id + ":" + names[i];
		}
		List<String> values = this.store.redis().hmget(this.store.keys().key(part), fields);
		Map<String, String> out = new LinkedHashMap<>();
		for (int i = 0; i < names.length; i++) {
			out.put(names[i], values.get(i));
		}
		return out;
	}

	ChainStatus dispatch(Chain chain) {
		Writer writer = new Writer();
		writer.group().addAll(List.of("new", "c" + chain.id()));
		writer.chain(chain, chain.id(), "");
		writer.group().addAll(List.of("start", "c\t" + chain.id(), ""));
		sendAll(writer.groups, chain.id());
		relayNow();
		return chainStatus(chain.id()).orElseThrow();
	}

	BatchStatus dispatch(Batch batch) {
		Writer writer = new Writer();
		String ref = "b" + batch.id();
		writer.group().addAll(List.of("new", ref));
		writer.batchRecord(batch, batch.id(), "", "running");
		boolean remoteMembers = false;
		for (int n = 1; n <= batch.members.size(); n++) {
			Object member = batch.members.get(n - 1);
			String id = batch.id() + ":" + n;
			if (member instanceof Job job) {
				Job stored = flowJob(job, id, FlowMetadata.BATCH, batch.id());
				long delay = (job.delay() != null) ? job.delay().toMillis() : 0;
				if (remote(job)) {
					// Enqueued on its own queue by the relay, from the record this dispatch writes.
					if (!remoteMembers) {
						writer.set(ref, "remote", "1");
						remoteMembers = true;
					}
					writer.group().addAll(List.of("start", writer.spec(stored, job), ref));
				}
				else {
					writer.group().addAll(List.of("job", id, this.store.envelopeOf(stored), String.valueOf(stored.priority()),
							String.valueOf(delay), ref, ""));
				}
			}
			else {
				writer.chain((Chain) member, id, ref);
				writer.group().addAll(List.of("start", "c\t" + id, ref));
			}
		}
		sendAll(writer.groups, batch.id());
		relayNow();
		return batchStatus(batch.id()).orElseThrow();
	}

	/**
	 * Carries at once what the dispatch put in the relay for other queues (their first jobs), rather than leaving it
	 * to the workers' next relay run; a failure leaves it to them.
	 */
	private void relayNow() {
		if (!this.relayOnDispatch) {
			return;
		}
		try {
			FlowRelay.relay(this.store);
		}
		catch (RuntimeException ex) {
			// The workers' periodic relay carries it.
		}
	}

	private void sendAll(List<List<String>> groups, String id) {
		int from = 0;
		while (from < groups.size()) {
			int to = from;
			long bytes = 0;
			while (to < groups.size() && to - from < CALL_JOBS && (to == from || bytes < CALL_BYTES)) {
				for (String arg : groups.get(to)) {
					bytes += arg.length();
				}
				to++;
			}
			List<?> reply = (List<?>) send(groups.subList(from, to));
			if (from == 0 && !reply.isEmpty() && "exists".equals(reply.get(0))) {
				throw new IllegalStateException("A flow with id '" + id + "' already exists on queue '"
						+ this.queue.name() + "'");
			}
			from = to;
		}
	}

	private Object send(List<List<String>> ops) {
		List<String> args = new ArrayList<>();
		args.add(String.valueOf(ops.size()));
		ops.forEach(args::addAll);
		return this.store.execute(DISPATCH, List.of(), args);
	}

	private long redisNow() {
		return RedisClock.now(this.store.redis()).toEpochMilli();
	}

	/** Writes flows as dispatch operations, in groups that must each go in one call. */
	private final class Writer {

		final List<List<String>> groups = new ArrayList<>();

		private final String created = String.valueOf(Instant.now().toEpochMilli());

		List<String> group() {
			List<String> group = new ArrayList<>();
			this.groups.add(group);
			return group;
		}

		void set(String ref, String name, String value) {
			group().addAll(List.of("set", ref, name, value));
		}

		void chain(Chain chain, String id, String parent) {
			if (chain.steps.isEmpty()) {
				throw new IllegalArgumentException("Chain " + id + " has no steps");
			}
			String ref = "c" + id;
			record(ref, parent, "waiting");
			set(ref, "steps", String.valueOf(chain.steps.size()));
			set(ref, "step", "0");
			for (int k = 1; k <= chain.steps.size(); k++) {
				Object step = chain.steps.get(k - 1);
				String stepId = id + ":" + k;
				if (step instanceof Job job) {
					Job stored = flowJob(job, stepId, FlowMetadata.CHAIN, id).withMetadata(FlowMetadata.STEP, String.valueOf(k));
					set(ref, "s:" + k, spec(stored, job));
					if (remote(job)) {
						set(ref, "remote", "1");
					}
				}
				else {
					Batch batch = (Batch) step;
					batchRecord(batch, stepId, ref, "waiting");
					for (int n = 1; n <= batch.members.size(); n++) {
						Object member = batch.members.get(n - 1);
						String memberId = stepId + ":" + n;
						if (member instanceof Job job) {
							set("b" + stepId, "m:" + n, spec(flowJob(job, memberId, FlowMetadata.BATCH, stepId), job));
							if (remote(job)) {
								set("b" + stepId, "remote", "1");
							}
						}
						else {
							chain((Chain) member, memberId, "b" + stepId);
							set("b" + stepId, "m:" + n, "c\t" + memberId);
						}
					}
					set(ref, "s:" + k, "b\t" + stepId);
				}
			}
		}

		void batchRecord(Batch batch, String id, String parent, String status) {
			String ref = "b" + id;
			record(ref, parent, status);
			String total = String.valueOf(batch.members.size());
			set(ref, "total", total);
			set(ref, "pending", total);
			set(ref, "failed", "0");
			set(ref, "cancelled", "0");
			set(ref, "allow", batch.allowFailures ? "1" : "0");
			callback(ref, id, "on_success", batch.onSuccess);
			callback(ref, id, "on_failure", batch.onFailure);
			callback(ref, id, "on_complete", batch.onComplete);
			if (batch.members.isEmpty() && status.equals("running")) {
				group().addAll(List.of("start", "b\t" + id, ""));
			}
		}

		private void record(String ref, String parent, String status) {
			set(ref, "status", status);
			set(ref, "parent", parent);
			set(ref, "keep", String.valueOf(Flows.this.keep.toMillis()));
			set(ref, "created", this.created);
		}

		private void callback(String ref, String batchId, String name, Job job) {
			if (job != null) {
				set(ref, name, spec(flowJob(job, batchId + ":" + name, FlowMetadata.BATCH, batchId), job));
			}
		}

		/** How a flow stores a job it enqueues later; {@code declared} is the job as given (its queue, its delay). */
		String spec(Job job, Job declared) {
			if (!remote(declared)) {
				return "j\t" + job.id() + "\t" + job.priority() + "\t" + Flows.this.store.envelopeOf(job);
			}
			long delay = (declared.delay() != null) ? declared.delay().toMillis() : 0;
			return "o\t" + job.id() + "\t" + declared.queue() + "\t" + job.priority() + "\t" + delay + "\t"
					+ Flows.this.store.envelopeOf(job);
		}

	}

	/** The job under the id the flow gives it, marked as the flow's; not an idempotency key (the flow is). */
	private Job flowJob(Job job, String id, String key, String flowId) {
		Job stored = new Job(id, job.type(), null, job.payload(), job.priority(), job.createdAt(), 0, job.maxRetries(),
				job.metadata(), job.timeout(), job.backoff(), null, null, false).withMetadata(key, flowId);
		if (!remote(job)) {
			return stored;
		}
		checkTarget(job.queue());
		return stored.withMetadata(FlowMetadata.HOME, this.queue.name());
	}

	/**
	 * A sharded queue this JVM built can take a flow's jobs when its shards use this flow's Redis connection (one
	 * server, or the cluster): its layout is recorded there for the relay, which routes each job to a shard by its
	 * id. Shards elsewhere are out of the relay's reach: refused, naming the queue.
	 */
	private void checkTarget(String target) {
		if (this.checkedTargets.contains(target)) {
			return;
		}
		// Checked once it held: until the layout is recorded, no flow of this dispatcher may reach the relay (it
		// would send the job to the unsharded store, which no worker reads), so other threads wait, and a refused
		// queue or a record Redis did not take (OOM, READONLY, down) is checked again.
		synchronized (this.checkedTargets) {
			if (!this.checkedTargets.contains(target)) {
				recordTarget(target);
				this.checkedTargets.add(target);
			}
		}
	}

	private void recordTarget(String target) {
		String prefix = this.store.keys().prefix();
		Optional<ShardedQueue> sharded = ShardLayouts.built(prefix, target);
		if (sharded.isEmpty()) {
			return;
		}
		if (sharded.get().stores().stream().anyMatch((shard) -> shard.redis() != this.store.redis())) {
			throw new IllegalArgumentException("Queue '" + target + "' is sharded over other Redis connections than "
					+ "queue '" + this.queue.name() + "' uses: a flow of queue '" + this.queue.name() + "' cannot have "
					+ "jobs on it, since the relay that enqueues them reaches only that queue's Redis (a sharded queue "
					+ "whose shards share its connection, on one server or one cluster, can)");
		}
		String tags = String.join(",", sharded.get().tags());
		String key = ShardLayouts.recordKey(prefix, target);
		if (!tags.equals(this.store.redis().get(key))) {
			this.store.redis().set(key, tags);
		}
	}

	/** Whether a flow's job runs on another queue than the flow's (its outcome then comes back through FlowRelay). */
	private boolean remote(Job job) {
		return job.queue() != null && !job.queue().equals(this.queue.name());
	}

	static String checkId(String id) {
		// Control characters separate the fields of the flows' records and of grouped events (as in a job's id).
		if (id == null || id.isBlank() || id.length() > 200 || id.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException("A flow id or unique key must have 1 to 200 characters and no tabs or "
					+ "other control characters: '" + id + "'");
		}
		return id;
	}

	/**
	 * A flow's id also begins its jobs' ids (id:1, id:2:1...), which key the relay's entries beside its outbox
	 * ({@code o:}) and cancel ({@code x:}) entries: an id that would read as one of those is refused.
	 */
	static String checkFlowId(String id) {
		checkId(id);
		if (id.equals("o") || id.equals("x") || id.startsWith("o:") || id.startsWith("x:")) {
			throw new IllegalArgumentException("A flow id may not be 'o' or 'x' or start with 'o:' or 'x:' (its jobs' "
					+ "ids would read as the relay's own entries): '" + id + "'");
		}
		return id;
	}

	private static int parseInt(String value) {
		return (value != null) ? Integer.parseInt(value) : 0;
	}

}
