package dev.jobqueue.core.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.jobqueue.core.codec.PayloadCodec;

/**
 * One step in a job's life (or a worker's, or a user's note), as its queue's event stream holds it. The stream id
 * is Redis's clock when the step was written: events of one queue are in the order their steps happened. The
 * events one script call wrote (the jobs one enqueue, lease or settle took) share one stream id.
 * Immutable.
 *
 * @param id the stream id, e.g. {@code 1732000000000-0}
 * @param queue the queue whose stream holds the event
 * @param kind what happened: one of the constants of this class, or {@link #USER} for an appended note
 * @param jobId the job, or {@code null} for a worker's event or a note about no job
 * @param jobType the job's type, or {@code null} when unknown
 * @param workerId the worker that took the step, or {@code null} when the queue itself did (enqueue, reaper)
 * @param attempt the attempt the event is about (1 for the first), or {@code null}
 * @param durationMillis how long the attempt ran, for an attempt's end, or {@code null}
 * @param error the error as JSON ({@code message}, {@code type}, ...), for a failure, or {@code null}
 * @param fields every field of the stream entry, including those above and any others ({@code due},
 * {@code reason}, {@code progress}, a note's own fields)
 */
public record JobEvent(String id, String queue, String kind, String jobId, String jobType, String workerId,
		Integer attempt, Long durationMillis, String error, Map<String, String> fields) {

	/** Stored, pending now or at {@code due} (epoch ms). */
	public static final String CREATED = "created";

	/** A delayed or retried job became pending. */
	public static final String PROMOTED = "promoted";

	/** Leased by a worker: an attempt starts ({@code suspect} 1 when its lease expired before). */
	public static final String STARTED = "started";

	/** The handler reported progress ({@code progress}). */
	public static final String PROGRESS = "progress";

	public static final String COMPLETED = "completed";

	/** An attempt failed; {@link #RETRIED} or {@link #DEAD} follows. */
	public static final String FAILED = "failed";

	/** Waits for its back-off, until {@code due} (epoch ms). */
	public static final String RETRIED = "retried";

	/** Moved to the dead-letter queue. */
	public static final String DEAD = "dead";

	public static final String CANCELLED = "cancelled";

	/** A running job was asked to stop; {@link #CANCELLED} follows when its worker stops it. */
	public static final String CANCEL_REQUESTED = "cancel_requested";

	/** Its lease expired unfinished, or it brought its worker down ({@code reason}); it runs again as a suspect. */
	public static final String STALLED = "stalled";

	/** A reclaimed attempt had in fact finished: its stall is taken back. */
	public static final String FINISHED_LATE = "finished_late";

	/** Moved from the dead-letter queue back to pending. */
	public static final String REVIVED = "revived";

	/** The handler skipped the job ({@code reason}). */
	public static final String SKIPPED = "skipped";

	/** Handed back unfinished (a shutdown, a rate limit), pending again at {@code due}. */
	public static final String HANDED_BACK = "handed_back";

	public static final String WORKER_STARTED = "worker_started";

	public static final String WORKER_STOPPED = "worker_stopped";

	/** A note appended with {@link EventStore#append}; its name is the field {@code name}. */
	public static final String USER = "user";

	private static final String RECORD_SEPARATOR = "\u001e";

	private static final String UNIT_SEPARATOR = "\u001f";

	private static final String GROUP_SEPARATOR = "\u001d";

	public JobEvent {
		fields = Map.copyOf(fields);
	}

	/**
	 * The events of a stream entry, in order: one, or, for an entry of a script that enqueued, leased or settled many
	 * jobs, those of each record of its field {@code jobs} (records separated by RS). A record tells one kind of event
	 * of one or more jobs, {@code kind US ids US types (US field US value)*}: the ids joined by GS, and either one type
	 * for all of them or one per id joined by GS. It gives an event per id, each with the entry's id and the fields an
	 * entry of one event would hold.
	 */
	static List<JobEvent> allOf(String queue, String id, Map<String, String> fields) {
		String records = fields.get("jobs");
		if (records == null || fields.containsKey("event")) {
			return List.of(of(queue, id, fields));
		}
		List<JobEvent> events = new ArrayList<>();
		String worker = fields.get("worker");
		for (String record : records.split(RECORD_SEPARATOR)) {
			String[] parts = record.split(UNIT_SEPARATOR, -1);
			String[] jobs = ((parts.length > 1) ? parts[1] : "").split(GROUP_SEPARATOR, -1);
			String[] types = ((parts.length > 2) ? parts[2] : "").split(GROUP_SEPARATOR, -1);
			for (int j = 0; j < jobs.length; j++) {
				Map<String, String> own = new LinkedHashMap<>();
				own.put("event", parts[0]);
				own.put("job", jobs[j]);
				// One type for all, or one per job; a record of neither shape (never written) leaves the type unknown.
				own.put("type", (types.length == 1) ? types[0] : (types.length == jobs.length) ? types[j] : "");
				if (worker != null) {
					own.put("worker", worker);
				}
				for (int i = 3; i + 1 < parts.length; i += 2) {
					own.put(parts[i], parts[i + 1]);
				}
				events.add(of(queue, id, own));
			}
		}
		return events;
	}

	/** Reads a stream entry of one event. */
	static JobEvent of(String queue, String id, Map<String, String> fields) {
		return new JobEvent(id, queue, fields.getOrDefault("event", USER), fields.get("job"), emptyAsNull(fields.get("type")),
				fields.get("worker"), asInteger(fields.get("attempt")), asLong(fields.get("ms")), fields.get("error"), fields);
	}

	/** When the step was written, by Redis's clock. */
	public Instant timestamp() {
		return Instant.ofEpochMilli(Long.parseLong(this.id.substring(0, this.id.indexOf('-'))));
	}

	/** The error's message, for people (the error is stored as JSON); its raw text when that is not JSON; {@code null} without one. */
	public String errorMessage() {
		if (this.error == null) {
			return null;
		}
		try {
			JsonNode message = PayloadCodec.defaults().readTree(this.error).get("message");
			return (message != null && message.isString()) ? message.asString() : this.error;
		}
		catch (RuntimeException ex) {
			return this.error;
		}
	}

	/** A field of the entry, or {@code null}. */
	public String field(String name) {
		return this.fields.get(name);
	}

	private static String emptyAsNull(String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

	// A note's own fields may reuse these names with any text: unreadable is absent (the text stays in fields), never
	// an exception that would stop every subscription at this entry.
	private static Integer asInteger(String value) {
		Long number = asLong(value);
		return (number != null && number == number.intValue()) ? number.intValue() : null;
	}

	private static Long asLong(String value) {
		try {
			return (value == null) ? null : Long.valueOf(value);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
