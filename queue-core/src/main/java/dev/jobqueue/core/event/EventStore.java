package dev.jobqueue.core.event;

import java.util.List;
import java.util.Map;

/**
 * The events of some queues: each queue's lifecycle steps, written by the same Lua script as the state change
 * (so a job's events never disagree with its state and a crash cannot drop one), into a Redis stream per queue
 * (per store of a sharded queue) bounded by length and age. Thread-safe.
 */
public interface EventStore {

	/**
	 * Appends a note (kind {@link JobEvent#USER}, field {@code name}, the job's type when {@code jobId} names a stored
	 * job) to {@code queue}'s stream; {@link #jobEvents} lists it among the job's events. Returns the event's stream id.
	 * Refuses fields named {@code event}, {@code name}, {@code job} or {@code jobs}: readers take those for the entry's own.
	 */
	String append(String queue, String jobId, String name, Map<String, String> fields);

	/**
	 * A stored job's events, oldest first (of consecutive progress events only the latest); empty when the job is not
	 * stored. Found by scanning its queue's stream, a page at a time, from an hour before the job's creation time (taken
	 * by the enqueuing machine's clock, which may differ from Redis's) to its end: the cost is proportional to the
	 * events written since, bounded by the stream's {@code maxLength}. Events the stream no longer holds (trimmed by
	 * length or age) are left out.
	 */
	List<JobEvent> jobEvents(String jobId);

	/** The latest {@code count} events of all queues, newest first. */
	List<JobEvent> recentEvents(int count);

	/**
	 * Delivers every event written from now on, in every JVM that subscribes (broadcast). After a connection loss
	 * or a Redis restart it reads on from the last event it delivered: none lost or repeated while the stream still
	 * holds it. An event its listener throws on is logged and passed over, not delivered again.
	 */
	EventSubscription subscribe(EventListener listener);

	/**
	 * Delivers each event written from the group's creation on to one consumer of {@code group} (a Redis consumer
	 * group), at least once: an event is acknowledged only when the listener returns, and one left unacknowledged
	 * (the listener threw, or its JVM died) is claimed again by a consumer of the group once idle for a while.
	 * An event its listener always throws on is delivered again at that pace without end (there is no give-up), but
	 * does not hold back the events after it. {@code consumer} names this member, e.g. the host and process.
	 */
	EventSubscription subscribeGroup(String group, String consumer, EventListener listener);

}
