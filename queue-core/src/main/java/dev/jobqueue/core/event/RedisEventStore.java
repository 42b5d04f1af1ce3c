package dev.jobqueue.core.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

import dev.jobqueue.core.job.JobIds;
import dev.jobqueue.core.queue.EventOptions;
import dev.jobqueue.core.queue.QueueKeys;
import dev.jobqueue.core.redis.RedisScript;

/**
 * An {@link EventStore} over the event streams of some job stores (queues, or the shards of one), on one Jedis
 * client. Subscriptions read with {@code XREAD} / {@code XREADGROUP} on their own threads. Thread-safe; the client
 * is closed by its owner.
 */
public final class RedisEventStore implements EventStore {

	/** How long an unacknowledged event of a consumer group waits before another consumer claims it. */
	public static final Duration DEFAULT_CLAIM_AFTER = Duration.ofSeconds(30);

	private static final RedisScript APPEND = RedisScript.load(RedisEventStore.class, "append");

	private static final RedisScript JOB_HEADER = RedisScript.load(RedisEventStore.class, "job_header");

	/**
	 * How far before a job's creation time its events are looked for: that time is the enqueuing machine's clock,
	 * the stream's ids are Redis's, and the two may differ.
	 */
	static final long CLOCK_SKEW_MS = 3600 * 1000L;

	/** Stream entries read per call while looking for a job's events. */
	private static final int SCAN_PAGE = 500;

	private final UnifiedJedis redis;

	private final List<QueueKeys> stores;

	/** The events of these stores; each queue's own {@code events} setting bounds its stream, notes included. */
	public RedisEventStore(UnifiedJedis redis, List<QueueKeys> stores, EventOptions events) {
		if (stores.isEmpty()) {
			throw new IllegalArgumentException("An event store needs at least one queue");
		}
		this.redis = Objects.requireNonNull(redis, "redis");
		this.stores = List.copyOf(stores);
		Objects.requireNonNull(events, "events");
	}

	/** The events of whole queues, each held in one store, under {@code keyPrefix}. */
	public static RedisEventStore of(UnifiedJedis redis, String keyPrefix, List<String> queues) {
		return new RedisEventStore(redis, queues.stream().map((queue) -> QueueKeys.of(keyPrefix, queue)).toList(),
				EventOptions.DEFAULT);
	}

	@Override
	public String append(String queue, String jobId, String name, Map<String, String> fields) {
		Objects.requireNonNull(name, "name");
		QueueKeys store = storeOf(queue, jobId);
		List<String> args = new ArrayList<>(List.of((jobId != null) ? jobId : "", "event", JobEvent.USER, "name",
				name));
		if (jobId != null) {
			args.addAll(List.of("job", jobId));
		}
		for (Map.Entry<String, String> field : fields.entrySet()) {
			// 'jobs' holds the events of an entry of many jobs (JobEvent.allOf): a note's would be read as those.
			if (List.of("event", "name", "job", "jobs").contains(field.getKey())) {
				throw new IllegalArgumentException("A note's field must not be named '" + field.getKey() + "'");
			}
			args.add(field.getKey());
			args.add(Objects.requireNonNull(field.getValue(), () -> "field " + field.getKey()));
		}
		return (String) APPEND.run(this.redis, store.forScript(APPEND), args);
	}

	/** The store of {@code queue} holding {@code jobId}, or its first store. */
	private QueueKeys storeOf(String queue, String jobId) {
		QueueKeys first = null;
		for (QueueKeys store : this.stores) {
			if (store.queue().equals(queue)) {
				if (first == null) {
					first = store;
				}
				if (jobId != null && this.redis.hexists(store.key("jobs"), jobId)) {
					return store;
				}
			}
		}
		if (first == null) {
			throw new IllegalArgumentException("No queue '" + queue + "' in this event store");
		}
		return first;
	}

	@Override
	public List<JobEvent> jobEvents(String jobId) {
		List<JobEvent> events = new ArrayList<>();
		for (QueueKeys store : this.stores) {
			String header = (String) JOB_HEADER.run(this.redis, store.forScript(JOB_HEADER), List.of(jobId));
			if (header != null) {
				events.addAll(scan(store, jobId, createdAt(jobId, header) - CLOCK_SKEW_MS));
			}
		}
		events.sort(Comparator.comparing((JobEvent event) -> new StreamEntryID(event.id())));
		return events;
	}

	/**
	 * The events of {@code jobId} in {@code store}'s stream from {@code fromMillis} on, a page at a time so that Redis
	 * is never busy long: the latest of consecutive progress events, and only those from the job's latest
	 * {@code created} on (an id used again after its job was forgotten).
	 */
	private List<JobEvent> scan(QueueKeys store, String jobId, long fromMillis) {
		String key = store.key("events");
		List<JobEvent> events = new ArrayList<>();
		String start = Math.max(0, fromMillis) + "-0";
		while (true) {
			List<StreamEntry> page = this.redis.xrange(key, start, "+", SCAN_PAGE);
			for (StreamEntry entry : page) {
				if (!mentions(entry, jobId)) {
					continue;
				}
				for (JobEvent event : events(store, entry)) {
					if (!jobId.equals(event.jobId())) {
						continue;
					}
					if (JobEvent.CREATED.equals(event.kind())) {
						events.clear();
					}
					else if (JobEvent.PROGRESS.equals(event.kind()) && !events.isEmpty()
							&& JobEvent.PROGRESS.equals(events.get(events.size() - 1).kind())) {
						events.remove(events.size() - 1);
					}
					events.add(event);
				}
			}
			if (page.size() < SCAN_PAGE) {
				return events;
			}
			start = "(" + page.get(page.size() - 1).getID();
		}
	}

	/**
	 * Whether an entry may hold an event of {@code jobId}: most of a scan holds none, and reading each of their events
	 * would cost several times more.
	 */
	private static boolean mentions(StreamEntry entry, String jobId) {
		String jobs = entry.getFields().get("jobs");
		return (jobs != null) ? jobs.contains(jobId) : jobId.equals(entry.getFields().get("job"));
	}

	/** When the job was created, by the clock of the machine that enqueued it (its envelope's header, or its id). */
	private static long createdAt(String jobId, String header) {
		String[] parts = header.split("\t", 3);
		if (parts.length > 1) {
			try {
				return Long.parseLong(parts[1]);
			}
			catch (NumberFormatException ex) {
				return 0;
			}
		}
		return Math.max(0, JobIds.timeOf(jobId));
	}

	@Override
	public List<JobEvent> recentEvents(int count) {
		if (count < 1) {
			throw new IllegalArgumentException("count must be at least 1");
		}
		List<JobEvent> events = new ArrayList<>();
		for (QueueKeys store : this.stores) {
			for (StreamEntry entry : this.redis.xrevrange(store.key("events"), "+", "-", count)) {
				// An entry's own events share its id: newest first, as the entries, survives the stable sort below.
				List<JobEvent> own = events(store, entry);
				for (int i = own.size() - 1; i >= 0; i--) {
					events.add(own.get(i));
				}
			}
		}
		events.sort(Comparator.comparing((JobEvent event) -> new StreamEntryID(event.id())).reversed());
		return List.copyOf(events.subList(0, Math.min(count, events.size())));
	}

	@Override
	public EventSubscription subscribe(EventListener listener) {
		return StreamReader.broadcast(this.redis, this.stores, listener);
	}

	@Override
	public EventSubscription subscribeGroup(String group, String consumer, EventListener listener) {
		return subscribeGroup(group, consumer, DEFAULT_CLAIM_AFTER, listener);
	}

	/** As {@link #subscribeGroup(String, String, EventListener)}, claiming events left pending this long. */
	public EventSubscription subscribeGroup(String group, String consumer, Duration claimAfter, EventListener listener) {
		return StreamReader.group(this.redis, this.stores, group, consumer, claimAfter, listener);
	}

	static List<JobEvent> events(QueueKeys store, StreamEntry entry) {
		return JobEvent.allOf(store.queue(), entry.getID().toString(), entry.getFields());
	}

}
