package dev.jobqueue.spring.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.event.EventStore;
import dev.jobqueue.core.event.JobEvent;
import dev.jobqueue.core.flow.FlowBrowser;
import dev.jobqueue.core.flow.Flows;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.redis.CoordinationRegistry;
import dev.jobqueue.core.monitor.JobPage;
import dev.jobqueue.core.monitor.MinuteCount;
import dev.jobqueue.core.monitor.QueueBrowser;
import dev.jobqueue.core.monitor.QueuePause;
import dev.jobqueue.core.monitor.RegisteredWorker;
import dev.jobqueue.core.monitor.ThroughputCounters;
import dev.jobqueue.core.monitor.WorkerRegistry;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.QueueStats;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.schedule.ScheduleStatus;
import dev.jobqueue.core.schedule.Scheduler;
import dev.jobqueue.core.shard.ShardedQueue;
import dev.jobqueue.spring.queue.JobQueues;

/**
 * What the dashboard shows, read from Redis: the application's queues plus any queue a worker
 * registered, their counts, throughput and pause flags, the live workers and the schedules. The overview is read
 * at most once per {@code maxAge} however many pages poll it. Thread-safe.
 */
public class DashboardData {

	/** One queue on the overview. */
	record QueueRow(String name, QueueStats stats, boolean paused, List<MinuteCount> minutes, List<QueueStats> shards) {

		long processedLastHour() {
			return this.minutes.stream().mapToLong(MinuteCount::processed).sum();
		}

		long failedLastHour() {
			return this.minutes.stream().mapToLong(MinuteCount::failed).sum();
		}

	}

	/** Everything on the overview, read together. */
	record Overview(List<QueueRow> queues, List<RegisteredWorker> workers, Instant readAt) {
	}

	private final JobQueues configured;

	private final ThroughputCounters throughput;

	private final WorkerRegistry registry;

	private final QueuePause pause;

	private final QueueOptions otherQueueOptions;

	private final long maxAgeNanos;

	private final Map<String, RedisJobQueue> others = new ConcurrentHashMap<>();

	private final Scheduler scheduler;

	private final CoordinationRegistry coordination;

	private volatile EventStore events;

	private volatile Overview cached;

	private volatile long cachedAtNanos;

	/** {@code scheduler}: the application's schedules, or {@code null} without a scheduler. */
	public DashboardData(JobQueues configured, ThroughputCounters throughput, WorkerRegistry registry, QueuePause pause,
			Scheduler scheduler, String keyPrefix, PayloadCodec codec, Duration maxAge) {
		this.configured = configured;
		this.scheduler = scheduler;
		this.throughput = throughput;
		this.registry = registry;
		this.pause = pause;
		this.otherQueueOptions = QueueOptions.defaults().withKeyPrefix(keyPrefix).withCodec(codec);
		this.maxAgeNanos = maxAge.toNanos();
		this.coordination = new CoordinationRegistry(configured.redis(), keyPrefix);
	}

	/** Shows each job's event history from {@code events}; without it, job pages have none. */
	public void setEvents(EventStore events) {
		this.events = events;
	}

	/** A job's events, oldest first; {@code null} when the queues record none. */
	List<JobEvent> history(String id) {
		EventStore store = this.events;
		return (store != null) ? store.jobEvents(id) : null;
	}

	/** The application's queues in configured order, then the other registered queues by name. */
	List<String> queueNames() {
		Set<String> names = new LinkedHashSet<>(this.configured.names());
		names.addAll(this.registry.knownQueues());
		return List.copyOf(names);
	}

	/** A queue the dashboard knows of; an unknown name is empty, so requests cannot make up keys to read. */
	Optional<RedisJobQueue> queue(String name) {
		if (name == null) {
			return Optional.empty();
		}
		if (this.configured.contains(name)) {
			// A sharded queue is browsed through sharded(name).
			return (this.configured.get(name) instanceof RedisJobQueue queue) ? Optional.of(queue) : Optional.empty();
		}
		RedisJobQueue other = this.others.get(name);
		if (other != null) {
			return Optional.of(other);
		}
		if (!this.registry.knownQueues().contains(name)) {
			return Optional.empty();
		}
		return Optional.of(this.others.computeIfAbsent(name,
				(known) -> new RedisJobQueue(this.configured.redis(), known, this.otherQueueOptions)));
	}

	/** A configured queue split into shards, shown as one queue. */
	Optional<ShardedQueue> sharded(String name) {
		return (name != null && this.configured.contains(name) && this.configured.get(name) instanceof ShardedQueue sharded)
				? Optional.of(sharded) : Optional.empty();
	}

	Overview overview() {
		Overview overview = this.cached;
		long now = System.nanoTime();
		if (overview == null || now - this.cachedAtNanos > this.maxAgeNanos) {
			List<QueueRow> rows = new ArrayList<>();
			for (String name : queueNames()) {
				queue(name).ifPresent((queue) -> rows.add(row(queue)));
				sharded(name).ifPresent((queue) -> rows.add(row(queue)));
			}
			overview = new Overview(rows, this.registry.workers(), Instant.now());
			this.cached = overview;
			this.cachedAtNanos = now;
		}
		return overview;
	}

	QueueRow row(RedisJobQueue queue) {
		return new QueueRow(queue.name(), queue.stats(), this.pause.isPaused(queue.name()),
				this.throughput.lastHour(queue.name()), List.of());
	}

	QueueRow row(ShardedQueue queue) {
		List<QueueStats> shards = queue.statsPerShard();
		return new QueueRow(queue.name(), queue.stats(), queue.isPaused(), this.throughput.lastHour(queue.name()), shards);
	}

	/** A page of jobs with what is known about each (a job that finished meanwhile is left out). */
	List<JobInfo> page(JobPage page, RedisJobQueue queue) {
		List<JobInfo> jobs = new ArrayList<>(page.entries().size());
		for (JobPage.Entry entry : page.entries()) {
			queue.get(entry.id()).ifPresent(jobs::add);
		}
		return jobs;
	}

	JobPage browse(RedisJobQueue queue, JobState state, long offset, int limit, boolean newestFirst) {
		return new QueueBrowser(queue).page(state, offset, limit, newestFirst);
	}

	/** The names of the queues that hold a job with this id (ids are unique per queue only). */
	List<String> find(String id) {
		List<String> found = new ArrayList<>();
		for (String name : queueNames()) {
			queue(name).filter((queue) -> queue.get(id).isPresent()).ifPresent((queue) -> found.add(name));
			sharded(name).filter((queue) -> queue.get(id).isPresent()).ifPresent((queue) -> found.add(name));
		}
		return found;
	}

	/** The application's schedules, or nothing without a scheduler. */
	List<ScheduleStatus> schedules() {
		return (this.scheduler != null) ? this.scheduler.list() : List.of();
	}

	Optional<Scheduler> scheduler() {
		return Optional.ofNullable(this.scheduler);
	}

	/** The batches and chains dispatched on a queue, newest first. */
	FlowBrowser flows(RedisJobQueue queue) {
		return new FlowBrowser(new Flows(queue));
	}

	/** The locks, semaphores, rate limiters and leader elections in use, with their holders. */
	List<CoordinationRegistry.Primitive> coordination() {
		return this.coordination.inspect();
	}

	/** Forgets the cached overview, after a write, so the next page shows its effect. */
	void invalidate() {
		this.cached = null;
	}

}
