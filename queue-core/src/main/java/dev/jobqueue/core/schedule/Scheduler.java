package dev.jobqueue.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.EnqueueResult;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.redis.RedisClock;
import dev.jobqueue.core.redis.RedisKeys;
import dev.jobqueue.core.redis.RedisScript;
import redis.clients.jedis.UnifiedJedis;

/**
 * Delayed and recurring jobs. {@link #scheduleAt} and {@link #scheduleIn} are delayed jobs on the queue
 * (Redis's clock decides when they are due). Recurring {@link Schedule}s run on every node that
 * {@link #start()}s a scheduler with them, and each fire time enqueues exactly one job across all nodes
 * and restarts: a node claims a fire time with a compare-and-set on the schedule's "last fired" marker in
 * Redis, then enqueues the job under the id {@code schedule:<name>:<fire epoch ms>}; if it dies in
 * between, another node re-enqueues the same id (a no-op if the job got in). Fire times missed while no
 * node looked (longer than the outage threshold) follow the schedule's {@link MisfirePolicy}, never a
 * burst. "Now" is Redis's clock, so nodes' clocks never matter.
 * <p>
 * Thread-safe; one daemon thread polls. Redis errors are logged and retried at the next poll.
 */
public final class Scheduler implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

	private static final RedisScript TICK = RedisScript.load(Scheduler.class, "tick");

	private static final RedisScript CLAIM = RedisScript.load(Scheduler.class, "claim");

	private static final RedisScript ENQUEUED = RedisScript.load(Scheduler.class, "enqueued");

	private static final RedisScript RESUME = RedisScript.load(Scheduler.class, "resume");

	/** A claim not marked enqueued after this long is taken as lost with its node, and enqueued again. */
	static final Duration CLAIM_RECOVERY = Duration.ofSeconds(10);

	/** At most this many on-time fire times are enqueued per schedule per poll; the rest wait a poll. */
	static final int MAX_FIRES_PER_POLL = 100;

	private final UnifiedJedis redis;

	private final QueueOptions queueOptions;

	private final String defaultQueue;

	private final Duration pollInterval;

	private final Duration outageThreshold;

	private final ScheduleListener listener;

	private final Map<String, Schedule> schedules = new LinkedHashMap<>();

	private final Map<String, RedisJobQueue> queues = new ConcurrentHashMap<>();

	private ScheduledExecutorService poller;

	/**
	 * @param redis the client; owned by the caller
	 * @param queueOptions options of the queues jobs are enqueued on (and the key prefix)
	 * @param defaultQueue the queue of delayed jobs that name none
	 * @param pollInterval how often this node looks at each schedule
	 * @param outageThreshold how long no node may look at a schedule before its due fire times count as
	 * missed; several poll intervals, so a slow node is not mistaken for an outage
	 * @param listener told about each job this node enqueued for a schedule
	 */
	public Scheduler(UnifiedJedis redis, QueueOptions queueOptions, String defaultQueue, Duration pollInterval,
			Duration outageThreshold, ScheduleListener listener) {
		this.redis = redis;
		this.queueOptions = queueOptions;
		this.defaultQueue = RedisKeys.check(defaultQueue, "queue name");
		this.pollInterval = RedisKeys.positive(pollInterval, "scheduler poll interval");
		this.outageThreshold = RedisKeys.positive(outageThreshold, "scheduler outage threshold");
		if (outageThreshold.compareTo(pollInterval.multipliedBy(2)) < 0) {
			throw new IllegalArgumentException("The scheduler's outage threshold (" + outageThreshold
					+ ") must be at least twice its poll interval (" + pollInterval + ")");
		}
		this.listener = listener;
	}

	/** A scheduler polling every 500 ms that counts 5 s without any node as an outage. */
	public Scheduler(UnifiedJedis redis, QueueOptions queueOptions) {
		this(redis, queueOptions, "default", Duration.ofMillis(500), Duration.ofSeconds(5), ScheduleListener.NONE);
	}

	/** Enqueues {@code job} to run at {@code at} (judged by Redis's clock). */
	public EnqueueResult scheduleAt(Job job, Instant at) {
		return queueOf(job).enqueue(job.withRunAt(at));
	}

	/** Enqueues {@code job} to run once {@code delay} has passed (judged by Redis's clock). */
	public EnqueueResult scheduleIn(Job job, Duration delay) {
		return queueOf(job).enqueue(job.withDelay(delay));
	}

	/** Adds a recurring schedule; a schedule of the same name is replaced. */
	public synchronized Scheduler add(Schedule schedule) {
		this.schedules.put(schedule.name(), schedule);
		return this;
	}

	/** The schedules this node runs. */
	public synchronized List<Schedule> schedules() {
		return List.copyOf(this.schedules.values());
	}

	/** Starts polling the schedules. */
	public synchronized Scheduler start() {
		if (this.poller == null) {
			this.poller = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "jobqueue-scheduler");
				thread.setDaemon(true);
				return thread;
			});
			this.poller.scheduleWithFixedDelay(this::pollAll, 0, this.pollInterval.toMillis(), TimeUnit.MILLISECONDS);
		}
		return this;
	}

	/** Whether this node is polling its schedules. */
	public synchronized boolean isRunning() {
		return this.poller != null;
	}

	/** Stops polling; other nodes carry on, and this node's schedules resume from Redis when restarted. */
	@Override
	public synchronized void close() {
		if (this.poller != null) {
			this.poller.shutdownNow();
			this.poller = null;
		}
	}

	/** Each schedule with its next five fire times and last fire. */
	public List<ScheduleStatus> list() {
		List<ScheduleStatus> statuses = new ArrayList<>();
		for (Schedule schedule : schedules()) {
			Map<String, String> state = this.redis.hgetAll(state(schedule));
			List<Instant> next = new ArrayList<>(5);
			Instant from = RedisClock.now(this.redis);
			String last = state.get("last");
			if (last != null && Long.parseLong(last) > from.toEpochMilli()) {
				from = Instant.ofEpochMilli(Long.parseLong(last));
			}
			while (next.size() < 5) {
				Optional<Instant> fire = schedule.times().next(from);
				if (fire.isEmpty()) {
					break;
				}
				next.add(fire.get());
				from = fire.get();
			}
			String enqueued = state.get("enqueued");
			statuses.add(new ScheduleStatus(schedule.name(), schedule.times().toString(), schedule.jobType(),
					schedule.queue(), "1".equals(state.get("paused")),
					(enqueued != null) ? Instant.ofEpochMilli(Long.parseLong(enqueued)) : null, next));
		}
		return statuses;
	}

	/** Enqueues one job of the schedule now, outside its fire times; returns the job's id. */
	public String trigger(String name) {
		Schedule schedule = schedule(name);
		String id = "schedule:" + name + ":manual:" + UUID.randomUUID();
		queue(schedule.queue()).enqueue(Job.ofJson(schedule.jobType(), schedule.payload()).withId(id)
			.withMetadata("schedule", name));
		return id;
	}

	/** Pauses the schedule on every node: its fire times pass without jobs until {@link #resume}. */
	public void pause(String name) {
		this.redis.hset(state(schedule(name)), "paused", "1");
	}

	/** Resumes a paused schedule from its next fire time after now. */
	public void resume(String name) {
		RESUME.run(this.redis, List.of(state(schedule(name))), List.of());
	}

	/** Polls every schedule once now; the polling thread does this every poll interval. */
	public void pollAll() {
		for (Schedule schedule : schedules()) {
			try {
				poll(schedule);
			}
			catch (RuntimeException ex) {
				log.warn("Schedule {}: poll failed; will retry", schedule.name(), ex);
			}
		}
	}

	private void poll(Schedule schedule) {
		String state = state(schedule);
		List<?> tick = (List<?>) TICK.run(this.redis, List.of(state),
				List.of(String.valueOf(this.outageThreshold.toMillis())));
		long now = RedisKeys.asLong(tick, 0);
		long last = RedisKeys.asLong(tick, 1);
		long gap = RedisKeys.asLong(tick, 2);
		long pending = RedisKeys.asLong(tick, 4);
		long claimedAt = RedisKeys.asLong(tick, 6);
		if (pending > RedisKeys.asLong(tick, 5) && now - claimedAt > CLAIM_RECOVERY.toMillis()) {
			log.warn("Schedule {}: the job of fire time {} was claimed but not confirmed; enqueueing it again",
					schedule.name(), Instant.ofEpochMilli(pending));
			enqueue(schedule, state, pending, false, false);
		}
		if (RedisKeys.asLong(tick, 3) == 1) {
			return;
		}
		// Fire times up to the end of an outage were missed: at most one job stands for all of them.
		if (gap > last) {
			Optional<Instant> missed = schedule.times().latest(Instant.ofEpochMilli(gap));
			if (missed.isPresent() && missed.get().toEpochMilli() > last) {
				long fire = missed.get().toEpochMilli();
				boolean fireOnce = schedule.misfire() == MisfirePolicy.FIRE_ONCE;
				if (!claim(state, last, fire, fireOnce)) {
					return;
				}
				if (fireOnce) {
					enqueue(schedule, state, fire, true, true);
				}
				last = fire;
			}
		}
		Instant from = Instant.ofEpochMilli(last);
		for (int i = 0; i < MAX_FIRES_PER_POLL; i++) {
			Optional<Instant> next = schedule.times().next(from);
			if (next.isEmpty() || next.get().toEpochMilli() > now) {
				return;
			}
			long fire = next.get().toEpochMilli();
			if (!claim(state, from.toEpochMilli(), fire, true)) {
				return;
			}
			enqueue(schedule, state, fire, false, true);
			from = next.get();
		}
	}

	private boolean claim(String state, long last, long fire, boolean enqueue) {
		return RedisKeys.asLong(CLAIM.run(this.redis, List.of(state),
				List.of(String.valueOf(last), String.valueOf(fire), enqueue ? "1" : "0"))) == 1;
	}

	private void enqueue(Schedule schedule, String state, long fire, boolean missed, boolean notify) {
		String id = schedule.jobId(fire);
		Job job = Job.ofJson(schedule.jobType(), schedule.payload()).withId(id)
			.withMetadata("schedule", schedule.name())
			.withMetadata("fireTime", Instant.ofEpochMilli(fire).toString());
		queue(schedule.queue()).enqueue(job);
		ENQUEUED.run(this.redis, List.of(state), List.of(String.valueOf(fire)));
		if (notify) {
			this.listener.fired(schedule.name(), Instant.ofEpochMilli(fire), id, missed);
		}
	}

	private synchronized Schedule schedule(String name) {
		Schedule schedule = this.schedules.get(name);
		if (schedule == null) {
			throw new IllegalArgumentException("No schedule named '" + name + "'; known: " + this.schedules.keySet());
		}
		return schedule;
	}

	private String state(Schedule schedule) {
		return RedisKeys.of(this.queueOptions.keyPrefix(), "schedule", schedule.name()).key();
	}

	private RedisJobQueue queueOf(Job job) {
		return queue((job.queue() != null) ? job.queue() : this.defaultQueue);
	}

	private RedisJobQueue queue(String name) {
		return this.queues.computeIfAbsent(name, (queue) -> new RedisJobQueue(this.redis, queue, this.queueOptions));
	}

	/** All schedules given, replacing those of the same names. */
	public Scheduler addAll(Collection<Schedule> schedules) {
		schedules.forEach(this::add);
		return this;
	}

}
