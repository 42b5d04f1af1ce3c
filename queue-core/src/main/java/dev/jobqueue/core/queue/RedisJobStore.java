package dev.jobqueue.core.queue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobIds;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.redis.RedisErrors;
import dev.jobqueue.core.redis.RedisScript;

/**
 * A {@link JobStore} in Redis: the jobs under one hash tag, each lifecycle step one Lua script whose
 * header names the keys it touches. Times (due, lease deadlines) come from Redis's clock. Thread-safe;
 * the Jedis client is shared and closed by its owner.
 */
public class RedisJobStore implements JobStore {

	private static final Logger logger = LoggerFactory.getLogger(RedisJobStore.class);

	/** Most jobs and most envelope bytes per enqueue call: one call keeps Redis busy for about 2 ms at most. */
	static final int ENQUEUE_BATCH = 100;

	static final int ENQUEUE_BATCH_BYTES = 512 * 1024;

	/** Most attempts per lease, settle or reap call, and most jobs per retention pass. */
	static final int BATCH = 1_000;

	/** How long an enqueue whose reply was lost is sent again before the failure reaches the caller. */
	static final Duration ENQUEUE_RETRY_FOR = Duration.ofSeconds(10);

	static final RedisScript ENQUEUE = script("enqueue");

	static final RedisScript LEASE = script("lease");

	static final RedisScript SETTLE = script("settle");

	static final RedisScript EXTEND = script("extend");

	static final RedisScript REAP = script("reap");

	static final RedisScript TRIM = script("trim");

	static final RedisScript PROGRESS = script("progress");

	static final RedisScript INSPECT = script("inspect");

	private final UnifiedJedis redis;

	private final QueueKeys keys;

	private final QueueOptions options;

	final JobEnvelope envelope;

	private final ReplicationWait replication;

	/** The worker whose steps this store's events name, or {@code null}. */
	private final String workerId;

	public RedisJobStore(UnifiedJedis redis, QueueKeys keys, QueueOptions options) {
		this(redis, keys, options, null);
	}

	private RedisJobStore(UnifiedJedis redis, QueueKeys keys, QueueOptions options, String workerId) {
		this.redis = redis;
		this.keys = keys;
		this.options = options;
		this.envelope = new JobEnvelope(options.codec());
		this.replication = new ReplicationWait(redis);
		this.workerId = workerId;
	}

	/** This store, with the events it writes naming {@code workerId}. */
	@Override
	public RedisJobStore forWorker(String workerId) {
		return new RedisJobStore(this.redis, this.keys, this.options, workerId);
	}

	@Override
	public String queue() {
		return this.keys.queue();
	}

	@Override
	public QueueKeys keys() {
		return this.keys;
	}

	@Override
	public QueueOptions options() {
		return this.options;
	}

	@Override
	public UnifiedJedis redis() {
		return this.redis;
	}

	/**
	 * Runs a script over this store's keys: those its header declares, then {@code extraKeys}, each of which
	 * must carry this store's hash tag. For features that read or write a store's data in one atomic step.
	 */
	public Object execute(RedisScript script, List<String> extraKeys, List<String> args) {
		List<String> keys = this.keys.forScript(script);
		if (!extraKeys.isEmpty()) {
			keys = new ArrayList<>(keys);
			for (String key : extraKeys) {
				keys.add(ownKey(key));
			}
		}
		return script.run(this.redis, keys, withEventSettings(script, args));
	}

	/** A script that writes events (its header declares the stream) takes the event settings as its last ARGV. */
	private List<String> withEventSettings(RedisScript script, List<String> args) {
		if (!script.keyNames().contains("events")) {
			return args;
		}
		List<String> all = new ArrayList<>(args.size() + 1);
		all.addAll(args);
		all.add(this.options.events().scriptArgument(this.workerId));
		return all;
	}

	@Override
	public List<EnqueueResult> enqueue(List<Enqueue> requests) {
		return enqueue(requests, this.options.durability());
	}

	/**
	 * Stores jobs as {@link #enqueue(List)} does, then waits for replicas as {@code durability} says: each call's
	 * {@code WAIT} runs on the connection that ran its script, so it covers exactly those writes. Throws
	 * {@link NotReplicatedException}, after storing every job, when fewer replicas confirmed in time.
	 */
	public List<EnqueueResult> enqueue(List<Enqueue> requests, Durability durability) {
		List<EnqueueResult> results = new ArrayList<>(requests.size());
		long confirmed = Long.MAX_VALUE;
		int from = 0;
		while (from < requests.size()) {
			List<String> args = new ArrayList<>();
			args.add("");
			args.add(String.valueOf(this.options.idempotencyWindow().toMillis()));
			args.add(JobIds.next());
			List<String> extraKeys = new ArrayList<>();
			int to = from;
			long bytes = 0;
			// Where the count of the open group of plain jobs goes in args, or -1.
			int group = -1;
			while (to < requests.size() && to - from < ENQUEUE_BATCH && (to == from || bytes < ENQUEUE_BATCH_BYTES)) {
				Enqueue request = requests.get(to);
				if (isPlain(request)) {
					if (group < 0) {
						args.add("");
						group = args.size();
						args.add("");
					}
					check(request);
					String stored = this.envelope.encode(request.job());
					args.add(request.job().id());
					args.add(stored);
					bytes += stored.length();
				}
				else {
					closeGroup(args, group);
					group = -1;
					bytes += addEnqueue(args, extraKeys, request);
				}
				to++;
			}
			closeGroup(args, group);
			args.set(0, String.valueOf(to - from));
			Sent sent = sendRetrying(ENQUEUE, extraKeys, args, durability);
			confirmed = Math.min(confirmed, sent.confirmed());
			boolean[] left = new boolean[to - from];
			for (Object position : (List<?>) sent.reply()) {
				left[(int) asLong(position) - 1] = true;
			}
			for (int i = from; i < to; i++) {
				Job job = requests.get(i).job();
				// A call sent again may find the job its lost first reply created: a generated id is ours alone.
				if (!left[i - from] || (sent.retried() && !job.idempotent())) {
					results.add(EnqueueResult.created(job.id()));
				}
				else {
					results.add(new EnqueueResult(job.id(), false, stateOf(job.id())));
				}
			}
			from = to;
		}
		if (durability.isDurable() && confirmed < durability.replicas() && !results.isEmpty()) {
			throw new NotReplicatedException("{" + this.keys.tag() + "}", results, durability.replicas(), confirmed);
		}
		return results;
	}

	/** A job enqueue takes as id and envelope alone: priority 0, due now, no idempotency key, no effects. */
	private static boolean isPlain(Enqueue request) {
		Job job = request.job();
		return job.priority() == 0 && job.delay() == null && job.runAt() == null && !job.idempotent()
				&& request.effects().isEmpty();
	}

	private static void closeGroup(List<String> args, int group) {
		if (group >= 0) {
			args.set(group, String.valueOf((args.size() - group - 1) / 2));
		}
	}

	/** Refuses a request this store would refuse, before anything is sent. */
	void check(Enqueue request) {
		Job job = request.job();
		if (job.queue() != null && !job.queue().equals(queue())) {
			throw new IllegalArgumentException("Job " + job.id() + " is for queue '" + job.queue() + "', not for '"
					+ queue() + "'");
		}
		checkPayloadSize(job);
		for (Effect effect : request.effects()) {
			ownKey(effect.key());
		}
	}

	private long addEnqueue(List<String> args, List<String> extraKeys, Enqueue request) {
		Job job = request.job();
		check(request);
		String stored = this.envelope.encode(job);
		args.add(job.id());
		args.add(stored);
		args.add(String.valueOf(job.priority()));
		if (job.delay() != null) {
			args.add("d");
			args.add(String.valueOf(job.delay().toMillis()));
		}
		else if (job.runAt() != null) {
			args.add("a");
			args.add(String.valueOf(job.runAt().toEpochMilli()));
		}
		else {
			args.add("n");
			args.add("0");
		}
		if (job.idempotent()) {
			extraKeys.add(this.keys.idempotencyKey(job.id()));
			args.add(String.valueOf(extraKeys.size()));
		}
		else {
			args.add("0");
		}
		addEffects(args, extraKeys, request.effects());
		return stored.length();
	}

	/**
	 * How {@code job} is stored, for a feature that keeps a job in Redis to enqueue later from a script (a
	 * chain's next step, a batch's callback). Refuses a payload over the queue's limit.
	 */
	public String envelopeOf(Job job) {
		checkPayloadSize(job);
		return this.envelope.encode(job);
	}

	private void checkPayloadSize(Job job) {
		long limit = this.options.maxPayloadSize();
		String payload = job.payload();
		// A UTF-8 byte count is needed only when the characters alone could exceed the limit.
		if ((long) payload.length() * 3 > limit) {
			long size = payload.getBytes(StandardCharsets.UTF_8).length;
			if (size > limit) {
				throw new PayloadTooLargeException(job.id(), queue(), size, limit);
			}
		}
	}

	private void addEffects(List<String> args, List<String> extraKeys, List<Effect> effects) {
		args.add(String.valueOf(effects.size()));
		for (Effect effect : effects) {
			extraKeys.add(ownKey(effect.key()));
			String key = String.valueOf(extraKeys.size());
			if (effect instanceof Effect.Put put) {
				args.addAll(List.of("set", key, put.value(), String.valueOf((put.ttl() != null) ? put.ttl().toMillis() : 0),
						put.ifAbsent() ? "1" : "0"));
			}
			else if (effect instanceof Effect.Delete) {
				args.addAll(List.of("del", key));
			}
			else if (effect instanceof Effect.Increment increment) {
				args.addAll(List.of("incrby", key, String.valueOf(increment.by())));
			}
			else if (effect instanceof Effect.HashPut hashPut) {
				args.addAll(List.of("hset", key, hashPut.field(), hashPut.value()));
			}
			else if (effect instanceof Effect.Expire expire) {
				args.addAll(List.of("expire", key, String.valueOf(expire.ttl().toMillis())));
			}
			else if (effect instanceof Effect.StreamAppend append) {
				args.addAll(List.of("xadd", key, String.valueOf(append.maxLength()), String.valueOf(append.fields().size())));
				for (Map.Entry<String, String> field : append.fields().entrySet()) {
					args.add(field.getKey());
					args.add(field.getValue());
				}
			}
			else if (effect instanceof Effect.CountdownEnqueue countdown) {
				Job job = countdown.job();
				checkPayloadSize(job);
				args.addAll(List.of("decr_enqueue", key, job.id(), this.envelope.encode(job),
						String.valueOf(job.priority())));
			}
		}
	}

	private String ownKey(String key) {
		if (!this.keys.owns(key)) {
			throw new IllegalArgumentException("Key '" + key + "' does not carry the hash tag {" + this.keys.tag()
					+ "} of the store it would be written with; build it with QueueKeys.custom");
		}
		return key;
	}

	/** A script's reply, whether it was sent more than once, and how many replicas confirmed its writes. */
	private record Sent(Object reply, boolean retried, long confirmed) {
	}

	/** Sends a script again while Redis fails transiently; running it twice must be harmless (same ids). */
	private Sent sendRetrying(RedisScript script, List<String> extraKeys, List<String> args, Durability durability) {
		long deadline = System.nanoTime() + ENQUEUE_RETRY_FOR.toNanos();
		long pause = 50;
		boolean retried = false;
		while (true) {
			try {
				if (!durability.isDurable()) {
					return new Sent(execute(script, extraKeys, args), retried, Long.MAX_VALUE);
				}
				List<String> keys = new ArrayList<>(this.keys.forScript(script));
				extraKeys.forEach((key) -> keys.add(ownKey(key)));
				ReplicationWait.Waited waited = this.replication.runAndWait(script, keys, withEventSettings(script, args),
						durability);
				return new Sent(waited.reply(), retried, waited.confirmed());
			}
			catch (RuntimeException ex) {
				if (!RedisErrors.isTransient(ex) || System.nanoTime() + pause * 1_000_000 - deadline > 0) {
					throw ex;
				}
				sleep(pause);
				pause = Math.min(pause * 2, 1_000);
				retried = true;
			}
		}
	}

	private JobState stateOf(String id) {
		List<?> reply = (List<?>) execute(INSPECT, List.of(), List.of(id));
		return (reply != null) ? JobState.fromId((String) reply.get(1)) : null;
	}

	@Override
	public LeaseBatch lease(int max, boolean allowSuspect) {
		List<?> reply = (List<?>) execute(LEASE, List.of(), List.of(String.valueOf(Math.min(max, BATCH)),
				String.valueOf(this.options.leaseDuration().toMillis()), String.valueOf(BATCH), allowSuspect ? "1" : "0"));
		Instant now = Instant.ofEpochMilli(asLong(reply.get(0)));
		long token = asLong(reply.get(1));
		long nextDue = asLong(reply.get(2));
		int size = (reply.size() - 4) / 2;
		// Most jobs are first attempts without failures: the script lists only the others.
		int[] attempts = new int[size];
		int[] failures = new int[size];
		boolean[] suspects = new boolean[size];
		Arrays.fill(attempts, 1);
		List<?> others = (List<?>) reply.get(3);
		for (int i = 0; i < others.size(); i += 4) {
			int position = (int) asLong(others.get(i)) - 1;
			attempts[position] = (int) asLong(others.get(i + 1));
			failures[position] = (int) asLong(others.get(i + 2));
			suspects[position] = asLong(others.get(i + 3)) == 1;
		}
		List<LeasedJob> jobs = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			jobs.add(leased((String) reply.get(4 + 2 * i), token, (String) reply.get(5 + 2 * i), attempts[i], failures[i],
					now, i, suspects[i]));
		}
		return new LeaseBatch(jobs, now, (nextDue < 0) ? null : Duration.ofMillis(nextDue));
	}

	private LeasedJob leased(String id, long token, String stored, int attempt, int failures, Instant now, int position,
			boolean suspect) {
		Job job = null;
		String problem = null;
		if (stored == null) {
			problem = "The data of job " + id + " is missing from Redis";
		}
		else {
			try {
				job = this.envelope.decode(id, queue(), stored, attempt);
			}
			catch (CorruptJobException ex) {
				problem = ex.getMessage();
			}
		}
		return new LeasedJob(queue(), id, token, job, problem, attempt, failures, now, position, suspect, this.keys.tag());
	}

	@Override
	public SettleResult settle(List<Settlement> settlements) {
		Boolean[] settled = new Boolean[settlements.size()];
		Boolean[] cancelled = new Boolean[settlements.size()];
		long trimmed = 0;
		Retention completed = this.options.completed();
		Retention dead = this.options.dead();
		for (int from = 0; from < settlements.size(); from += BATCH) {
			int to = Math.min(from + BATCH, settlements.size());
			List<String> args = new ArrayList<>(6 + (to - from) * 2);
			args.add(String.valueOf(completed.maxCount()));
			args.add(String.valueOf(completed.maxAgeMillis()));
			args.add(String.valueOf(dead.maxCount()));
			args.add(String.valueOf(dead.maxAgeMillis()));
			args.add(String.valueOf(this.options.maxStalls()));
			args.add(String.valueOf(to - from));
			List<String> extraKeys = new ArrayList<>();
			// The index in settlements of each attempt, in the order the script reads them.
			int[] order = new int[to - from];
			int count = 0;
			Map<PlainKey, List<Integer>> plain = new LinkedHashMap<>();
			for (int i = from; i < to; i++) {
				Settlement settlement = settlements.get(i);
				LeasedJob lease = checkOwn(settlement.lease());
				if (isPlain(settlement)) {
					String type = lease.isReadable() ? lease.job().type() : "";
					plain.computeIfAbsent(new PlainKey(lease.token(), type), (key) -> new ArrayList<>()).add(i);
					continue;
				}
				count = addPlain(args, settlements, plain, order, count);
				args.add(lease.id());
				args.add(String.valueOf(lease.token()));
				addOutcome(args, settlement.outcome(), lease);
				addEffects(args, extraKeys, settlement.effects());
				order[count++] = i;
			}
			addPlain(args, settlements, plain, order, count);
			List<?> reply = (List<?>) execute(SETTLE, extraKeys, args);
			for (int i = from; i < to; i++) {
				settled[i] = true;
				cancelled[i] = false;
			}
			// The script answers only the attempts not simply settled, by their place in its arguments.
			for (int k = 1; k < reply.size(); k += 2) {
				int i = order[(int) asLong(reply.get(k)) - 1];
				long code = asLong(reply.get(k + 1));
				settled[i] = code != 0;
				cancelled[i] = code == 2;
			}
			trimmed += asLong(reply.get(0));
		}
		return new SettleResult(List.of(settled), List.of(cancelled), trimmed);
	}

	/** What the completions sent as one group share: their lease call's token and their type. */
	private record PlainKey(long token, String type) {
	}

	/**
	 * A completion that settle can take in a group: no result (a chain's next step reads a step's result, so one
	 * with a result is sent on its own) and no effects.
	 */
	private static boolean isPlain(Settlement settlement) {
		return settlement.outcome() instanceof Outcome.Completed completed && completed.resultJson() == null
				&& settlement.effects().isEmpty();
	}

	/**
	 * Adds the groups of completions gathered since the last other outcome: their order among themselves does not
	 * matter (independent jobs, each compared to its own lease), a hand-back's or a failure's order does.
	 */
	private static int addPlain(List<String> args, List<Settlement> settlements, Map<PlainKey, List<Integer>> plain,
			int[] order, int count) {
		for (Map.Entry<PlainKey, List<Integer>> group : plain.entrySet()) {
			args.add("");
			args.add(String.valueOf(group.getKey().token()));
			args.add(group.getKey().type());
			args.add(String.valueOf(group.getValue().size()));
			for (int i : group.getValue()) {
				args.add(settlements.get(i).lease().id());
				order[count++] = i;
			}
		}
		plain.clear();
		return count;
	}

	private void addOutcome(List<String> args, Outcome outcome, LeasedJob lease) {
		if (outcome instanceof Outcome.Completed completed) {
			// The type spares settle reading the envelope (payload and all) for its event.
			args.addAll(List.of("c", (completed.resultJson() != null) ? completed.resultJson() : "",
					lease.isReadable() ? lease.job().type() : ""));
		}
		else if (outcome instanceof Outcome.Retry retry) {
			args.addAll(List.of("r", String.valueOf(retry.delay().toMillis()), this.envelope.encodeError(retry.error())));
		}
		else if (outcome instanceof Outcome.Dead dead) {
			args.addAll(List.of("d", "", this.envelope.encodeError(dead.error())));
		}
		else if (outcome instanceof Outcome.HandedBack back) {
			args.addAll(List.of("h", String.valueOf(back.delay().toMillis()), back.started() ? "1" : ""));
		}
		else if (outcome instanceof Outcome.Cancelled) {
			args.addAll(List.of("x", "", ""));
		}
		else if (outcome instanceof Outcome.Skipped skipped) {
			args.addAll(List.of("s", skipped.reasonJson(), ""));
		}
		else if (outcome instanceof Outcome.Crashed crashed) {
			args.addAll(List.of("k", "", this.envelope.encodeError(crashed.error())));
		}
		else if (outcome instanceof Outcome.FinishedLate) {
			args.addAll(List.of("l", "", ""));
		}
	}

	@Override
	public ExtendResult extend(Collection<LeasedJob> leases) {
		List<String> args = new ArrayList<>(1 + leases.size() * 2);
		args.add(String.valueOf(this.options.leaseDuration().toMillis()));
		for (LeasedJob lease : leases) {
			args.add(checkOwn(lease).id());
			args.add(String.valueOf(lease.token()));
		}
		List<?> reply = (List<?>) execute(EXTEND, List.of(), args);
		return new ExtendResult(new HashSet<>(strings(reply.get(0))), new HashSet<>(strings(reply.get(1))));
	}

	@Override
	public ReapResult reap(int limit) {
		List<?> reply = (List<?>) execute(REAP, List.of(), List.of(String.valueOf(this.options.maxStalls()),
				String.valueOf(limit)));
		return new ReapResult(strings(reply.get(0)), strings(reply.get(1)), strings(reply.get(2)));
	}

	@Override
	public TrimResult trim() {
		Retention completed = this.options.completed();
		Retention dead = this.options.dead();
		List<?> reply = (List<?>) execute(TRIM, List.of(), List.of(String.valueOf(completed.maxCount()),
				String.valueOf(completed.maxAgeMillis()), String.valueOf(dead.maxCount()),
				String.valueOf(dead.maxAgeMillis()), String.valueOf(BATCH)));
		return new TrimResult(asLong(reply.get(0)), asLong(reply.get(1)));
	}

	@Override
	public boolean updateProgress(LeasedJob lease, int progress) {
		return updateProgress(lease, progress, null);
	}

	@Override
	public boolean updateProgress(LeasedJob lease, int progress, String message) {
		checkOwn(lease);
		String value = (message == null) ? String.valueOf(progress)
				: progress + "\t" + message.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
		// The type spares the script reading the envelope (payload and all) for the event.
		return asLong(execute(PROGRESS, List.of(), List.of(lease.id(), String.valueOf(lease.token()), value,
				lease.isReadable() ? lease.job().type() : ""))) == 1;
	}

	/** Best effort: a worker starts and stops whether or not Redis answers. */
	@Override
	public void workerEvent(String kind) {
		EventOptions events = this.options.events();
		if (events.mode() == EventOptions.Mode.NONE || this.workerId == null) {
			return;
		}
		try {
			// Counted as the scripts count theirs (see count_events in common.lua): their next call trims the stream. A
			// stream of this event alone was deleted or emptied: a count left from before would drop the next events.
			String stream = this.keys.key("events");
			this.redis.xadd(stream, XAddParams.xAddParams(), Map.of("event", kind, "worker", this.workerId));
			if (this.redis.xlen(stream) == 1) {
				this.redis.set(this.keys.key("event_count"), "1");
			}
			else {
				this.redis.incr(this.keys.key("event_count"));
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Cannot write {} of worker {} to {}", kind, this.workerId, this, ex);
		}
	}

	@Override
	public String toString() {
		return "RedisJobStore[" + this.keys.tag() + "]";
	}

	private LeasedJob checkOwn(LeasedJob lease) {
		if (!this.keys.tag().equals(lease.tag())) {
			throw new IllegalArgumentException("Job " + lease.id() + " was leased from store {" + lease.tag()
					+ "} of queue '" + lease.queue() + "', not from {" + this.keys.tag() + "}");
		}
		return lease;
	}

	static List<String> strings(Object reply) {
		return ((List<?>) reply).stream().map(String.class::cast).toList();
	}

	static long asLong(Object value) {
		return (value instanceof Long number) ? number : Long.parseLong(String.valueOf(value));
	}

	static RedisScript script(String name) {
		return RedisScript.load(RedisJobStore.class, name);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while sending an enqueue again", ex);
		}
	}

}
