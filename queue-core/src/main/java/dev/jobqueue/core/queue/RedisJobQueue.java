package dev.jobqueue.core.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.jobqueue.core.dlq.DeadLetterQueue;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.redis.RedisScript;
import dev.jobqueue.core.redis.RedisSetupCheck;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.KeyValue;

/**
 * A {@link JobQueue} in Redis. Every step that touches more than one key is one Lua script, so a
 * crash between two commands cannot lose or duplicate a job; times (due, lease deadlines) come from
 * Redis's clock. Thread-safe; the Jedis client is shared and closed by its owner.
 */
public class RedisJobQueue implements JobQueue {

	static final int BATCH = 1_000;

	/** An idle consumer looks again at least this often, which bounds how late a delayed job starts. */
	static final Duration MAX_IDLE_WAIT = Duration.ofMillis(500);

	private static final RedisScript ENQUEUE = script("enqueue");

	private static final RedisScript DEQUEUE = script("dequeue");

	private static final RedisScript ACK = script("ack");

	private static final RedisScript FAIL = script("fail");

	private static final RedisScript EXTEND = script("extend");

	private static final RedisScript RELEASE = script("release");

	private static final RedisScript REAP = script("reap");

	private static final RedisScript PROGRESS = script("progress");

	private static final RedisScript CANCEL = script("cancel");

	private static final RedisScript TRIM = script("trim");

	private static final RedisScript INSPECT = script("inspect");

	private static final RedisScript STATS = script("stats");

	private static final RedisScript PEEK = script("peek");

	final UnifiedJedis redis;

	final QueueKeys keys;

	final QueueOptions options;

	final JobEnvelope envelope;

	private final RedisDeadLetterQueue deadLetters;

	public RedisJobQueue(UnifiedJedis redis, String name) {
		this(redis, name, QueueOptions.defaults());
	}

	public RedisJobQueue(UnifiedJedis redis, String name, QueueOptions options) {
		this.redis = redis;
		this.options = options;
		this.keys = QueueKeys.of(options.keyPrefix(), name);
		this.envelope = new JobEnvelope(options.codec());
		this.deadLetters = new RedisDeadLetterQueue(this);
		RedisSetupCheck.checkOnce(redis, options.strictRedisCheck());
	}

	@Override
	public String name() {
		return this.keys.queue();
	}

	public QueueOptions options() {
		return this.options;
	}

	public QueueKeys keys() {
		return this.keys;
	}

	/** The client this queue talks through. */
	public UnifiedJedis redis() {
		return this.redis;
	}

	@Override
	public EnqueueResult enqueue(Job job) {
		return enqueueAll(List.of(job)).get(0);
	}

	@Override
	public List<EnqueueResult> enqueueAll(List<Job> jobs) {
		List<EnqueueResult> results = new ArrayList<>(jobs.size());
		for (int from = 0; from < jobs.size(); from += BATCH) {
			List<Job> batch = jobs.subList(from, Math.min(from + BATCH, jobs.size()));
			List<String> args = new ArrayList<>(1 + batch.size() * 5);
			args.add(String.valueOf(batch.size()));
			for (Job job : batch) {
				if (job.queue() != null && !job.queue().equals(name())) {
					throw new IllegalArgumentException("Job " + job.id() + " is for queue '" + job.queue()
							+ "', not for '" + name() + "'");
				}
				args.add(job.id());
				args.add(this.envelope.encode(job));
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
			}
			List<?> created = (List<?>) run(ENQUEUE, args);
			for (int i = 0; i < batch.size(); i++) {
				results.add(new EnqueueResult(batch.get(i).id(), asLong(created.get(i)) == 1));
			}
		}
		return results;
	}

	/** Leases up to {@code max} (at most 1,000) pending jobs without waiting; promotes due delayed jobs first. */
	public LeaseBatch lease(int max) {
		List<?> reply = (List<?>) run(DEQUEUE, List.of(String.valueOf(Math.min(max, BATCH)),
				String.valueOf(this.options.leaseDuration().toMillis()), String.valueOf(BATCH)));
		Instant now = Instant.ofEpochMilli(asLong(reply.get(0)));
		long token = asLong(reply.get(1));
		long nextDue = asLong(reply.get(2));
		List<LeasedJob> jobs = new ArrayList<>((reply.size() - 3) / 4);
		for (int i = 3; i < reply.size(); i += 4) {
			String id = (String) reply.get(i);
			String stored = (String) reply.get(i + 1);
			int attempt = (int) asLong(reply.get(i + 2));
			int failures = (int) asLong(reply.get(i + 3));
			jobs.add(leased(id, token, stored, attempt, failures, now));
		}
		return new LeaseBatch(jobs, now, (nextDue < 0) ? null : Duration.ofMillis(nextDue));
	}

	private LeasedJob leased(String id, long token, String stored, int attempt, int failures, Instant now) {
		if (stored == null) {
			return new LeasedJob(name(), id, token, null, "The data of job " + id + " is missing from Redis", attempt,
					failures, now);
		}
		try {
			return new LeasedJob(name(), id, token, this.envelope.decode(id, name(), stored, attempt), null, attempt,
					failures, now);
		}
		catch (CorruptJobException ex) {
			return new LeasedJob(name(), id, token, null, ex.getMessage(), attempt, failures, now);
		}
	}

	@Override
	public Optional<LeasedJob> dequeue(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			LeaseBatch batch = lease(1);
			if (!batch.jobs().isEmpty()) {
				return Optional.of(batch.jobs().get(0));
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return Optional.empty();
			}
			awaitWork(this.redis, List.of(this.keys.wake()), idleWait(Duration.ofNanos(remaining), batch.nextDue()));
		}
	}

	/** How long an idle consumer may block: until work may be due, and never long enough to miss it. */
	public static Duration idleWait(Duration limit, Duration nextDue) {
		Duration wait = (limit.compareTo(MAX_IDLE_WAIT) < 0) ? limit : MAX_IDLE_WAIT;
		if (nextDue != null && nextDue.compareTo(wait) < 0) {
			wait = nextDue;
		}
		return wait.isNegative() ? Duration.ZERO : wait;
	}

	/**
	 * Blocks on the wake-up lists of one or more queues (all on this client) until an enqueue signals
	 * work or {@code timeout} passes. Returns {@code true} when woken by a signal.
	 */
	public static boolean awaitWork(UnifiedJedis redis, List<String> wakeKeys, Duration timeout) {
		double seconds = Math.max(timeout.toMillis(), 10) / 1000.0;
		KeyValue<String, String> signal = redis.blpop(seconds, wakeKeys.toArray(String[]::new));
		return signal != null;
	}

	@Override
	public boolean ack(LeasedJob job, String resultJson) {
		return ack(List.of(new Completion(job, resultJson))).get(0);
	}

	/** Completes many leased jobs in one round trip; one flag per job, {@code false} for a stale lease. */
	public List<Boolean> ack(List<Completion> completions) {
		List<Boolean> acked = new ArrayList<>(completions.size());
		Retention retention = this.options.completed();
		for (int from = 0; from < completions.size(); from += BATCH) {
			List<Completion> batch = completions.subList(from, Math.min(from + BATCH, completions.size()));
			List<String> args = new ArrayList<>(3 + batch.size() * 3);
			args.add(String.valueOf(retention.maxCount()));
			args.add(String.valueOf(retention.maxAgeMillis()));
			args.add(String.valueOf(batch.size()));
			for (Completion completion : batch) {
				checkOwn(completion.job());
				args.add(completion.job().id());
				args.add(String.valueOf(completion.job().token()));
				args.add((completion.resultJson() != null) ? completion.resultJson() : "");
			}
			for (Object flag : (List<?>) run(ACK, args)) {
				acked.add(asLong(flag) == 1);
			}
		}
		return acked;
	}

	@Override
	public boolean retry(LeasedJob job, JobError error, Duration delay) {
		return fail(job, "retry", error, delay);
	}

	@Override
	public boolean deadLetter(LeasedJob job, JobError error) {
		return fail(job, "dead", error, Duration.ZERO);
	}

	private boolean fail(LeasedJob job, String action, JobError error, Duration delay) {
		checkOwn(job);
		Retention dead = this.options.dead();
		return asLong(run(FAIL, List.of(job.id(), String.valueOf(job.token()), action, String.valueOf(delay.toMillis()),
				this.envelope.encodeError(error), String.valueOf(dead.maxCount()), String.valueOf(dead.maxAgeMillis())))) == 1;
	}

	@Override
	public boolean extend(LeasedJob job) {
		return extend(List.of(job)).isEmpty();
	}

	/** Extends many leases in one round trip; returns the ids whose lease is no longer held. */
	public Set<String> extend(Collection<LeasedJob> jobs) {
		List<String> args = new ArrayList<>(1 + jobs.size() * 2);
		args.add(String.valueOf(this.options.leaseDuration().toMillis()));
		addLeases(args, jobs);
		Set<String> lost = new HashSet<>();
		for (Object id : (List<?>) run(EXTEND, args)) {
			lost.add((String) id);
		}
		return lost;
	}

	/** Gives leases back so the jobs run again at once elsewhere (graceful shutdown); returns how many. */
	public long release(Collection<LeasedJob> jobs) {
		if (jobs.isEmpty()) {
			return 0;
		}
		List<String> args = new ArrayList<>(jobs.size() * 2);
		addLeases(args, jobs);
		return asLong(run(RELEASE, args));
	}

	/** Reclaims up to {@code limit} jobs whose lease expired; poison pills go to the dead-letter queue. */
	public ReapResult reapExpiredLeases(int limit) {
		List<?> reply = (List<?>) run(REAP, List.of(String.valueOf(this.options.maxStalls()), String.valueOf(limit)));
		return new ReapResult(strings(reply.get(0)), strings(reply.get(1)));
	}

	/** Applies the retention limits now; returns how many finished jobs were removed. */
	public long trim() {
		Retention completed = this.options.completed();
		Retention dead = this.options.dead();
		return asLong(run(TRIM, List.of(String.valueOf(completed.maxCount()), String.valueOf(completed.maxAgeMillis()),
				String.valueOf(dead.maxCount()), String.valueOf(dead.maxAgeMillis()), String.valueOf(BATCH))));
	}

	/** Stores a running job's progress; {@code false} when the lease is no longer held. */
	public boolean updateProgress(LeasedJob job, int progress) {
		checkOwn(job);
		return asLong(run(PROGRESS, List.of(job.id(), String.valueOf(job.token()), String.valueOf(progress)))) == 1;
	}

	@Override
	public Optional<Job> peek() {
		List<?> reply = (List<?>) run(PEEK, List.of());
		if (reply == null) {
			return Optional.empty();
		}
		String id = (String) reply.get(0);
		String stored = (String) reply.get(1);
		if (stored == null) {
			return Optional.empty();
		}
		return Optional.of(this.envelope.decode(id, name(), stored, (int) asLong(reply.get(2))));
	}

	@Override
	public long size() {
		return stats().pending();
	}

	@Override
	public Optional<JobInfo> get(String id) {
		List<?> reply = (List<?>) run(INSPECT, List.of(id));
		if (reply == null) {
			return Optional.empty();
		}
		int attempts = (int) asLong(reply.get(3));
		Job job;
		try {
			job = this.envelope.decode(id, name(), (String) reply.get(0), attempts);
		}
		catch (CorruptJobException ex) {
			job = null;
		}
		long at = asLong(reply.get(2));
		String progress = (String) reply.get(8);
		return Optional.of(new JobInfo(id, job, JobState.fromId((String) reply.get(1)),
				(at < 0) ? null : Instant.ofEpochMilli(at), attempts, (int) asLong(reply.get(4)),
				(int) asLong(reply.get(5)), this.envelope.decodeError((String) reply.get(6)), (String) reply.get(7),
				(progress != null) ? Integer.valueOf(progress) : null));
	}

	@Override
	public CancelResult cancel(String id) {
		Retention retention = this.options.completed();
		String outcome = (String) run(CANCEL, List.of(id, String.valueOf(retention.maxCount()),
				String.valueOf(retention.maxAgeMillis())));
		return switch (outcome) {
			case "cancelled" -> CancelResult.CANCELLED;
			case "unknown" -> CancelResult.NOT_FOUND;
			default -> CancelResult.NOT_CANCELLABLE;
		};
	}

	@Override
	public QueueStats stats() {
		List<?> counts = (List<?>) run(STATS, List.of());
		return new QueueStats(asLong(counts.get(0)), asLong(counts.get(1)), asLong(counts.get(2)),
				asLong(counts.get(3)), asLong(counts.get(4)), asLong(counts.get(5)), asLong(counts.get(6)));
	}

	@Override
	public DeadLetterQueue deadLetters() {
		return this.deadLetters;
	}

	/** Does nothing: the Redis client belongs to whoever created it. */
	@Override
	public void close() {
	}

	@Override
	public String toString() {
		return "RedisJobQueue[" + name() + "]";
	}

	Object run(RedisScript script, List<String> args) {
		return script.run(this.redis, this.keys.all(), args);
	}

	private void checkOwn(LeasedJob job) {
		if (!name().equals(job.queue())) {
			throw new IllegalArgumentException("Job " + job.id() + " was leased from queue '" + job.queue()
					+ "', not from '" + name() + "'");
		}
	}

	private static void addLeases(List<String> args, Collection<LeasedJob> jobs) {
		for (LeasedJob job : jobs) {
			args.add(job.id());
			args.add(String.valueOf(job.token()));
		}
	}

	private static List<String> strings(Object reply) {
		return ((List<?>) reply).stream().map(String.class::cast).toList();
	}

	static long asLong(Object value) {
		return (value instanceof Long number) ? number : Long.parseLong(String.valueOf(value));
	}

	static RedisScript script(String name) {
		return RedisScript.load(RedisJobQueue.class, name);
	}

}
