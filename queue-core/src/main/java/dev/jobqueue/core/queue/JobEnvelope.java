package dev.jobqueue.core.queue;

import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.job.BackOff;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobIds;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a job is stored in Redis: one header line, then the payload JSON exactly as given:
 * <pre>
 * send_email&lt;TAB&gt;1732000000000&lt;TAB&gt;{"priority":10,"maxRetries":5}
 * {"to":"ada@example.com"}
 * </pre>
 * The header holds the type, the creation time (epoch ms) and, only when some option differs from
 * the defaults, the options as JSON. A plain job whose id carries its creation time ({@link JobIds}) is stored
 * with the type alone on the header line ({@code send_email\n{"to":...}}): an envelope of 64 bytes or less
 * takes one allocation size class less in Redis. Reading a plain job parses no JSON at all; the payload is bound
 * once, to the handler's declared type. Everything read back is untrusted: a corrupt envelope is a
 * {@link CorruptJobException} that names what is wrong, and nothing in it selects a Java class.
 * Thread-safe.
 */
final class JobEnvelope {

	private final JsonMapper mapper;

	JobEnvelope(PayloadCodec codec) {
		this.mapper = codec.mapper();
	}

	String encode(Job job) {
		boolean plain = job.priority() == 0 && job.maxRetries() == null && job.timeout() == null
				&& job.metadata().isEmpty() && job.backoff() == null;
		if (plain && JobIds.timeOf(job.id()) == job.createdAt().toEpochMilli()) {
			return job.type() + '\n' + job.payload();
		}
		StringBuilder out = new StringBuilder(48 + job.payload().length()).append(job.type()).append('\t')
			.append(job.createdAt().toEpochMilli()).append('\t');
		if (!plain) {
			out.append(encodeOptions(job));
		}
		return out.append('\n').append(job.payload()).toString();
	}

	private String encodeOptions(Job job) {
		StringWriter out = new StringWriter();
		try (JsonGenerator json = this.mapper.createGenerator(out)) {
			json.writeStartObject();
			if (job.priority() != 0) {
				json.writeNumberProperty("priority", job.priority());
			}
			if (job.maxRetries() != null) {
				json.writeNumberProperty("maxRetries", job.maxRetries());
			}
			if (job.timeout() != null) {
				json.writeNumberProperty("timeoutMs", job.timeout().toMillis());
			}
			if (!job.metadata().isEmpty()) {
				json.writeName("metadata");
				json.writeStartObject();
				for (Map.Entry<String, String> entry : job.metadata().entrySet()) {
					json.writeStringProperty(entry.getKey(), entry.getValue());
				}
				json.writeEndObject();
			}
			if (job.backoff() != null) {
				json.writeName("backoff");
				writeBackOff(json, job.backoff());
			}
			json.writeEndObject();
		}
		return out.toString();
	}

	/** The job stored as {@code envelope}; {@code attempts} comes from Redis's separate counter. */
	Job decode(String id, String queue, String envelope, int attempts) {
		int newline = envelope.indexOf('\n');
		int firstTab = envelope.indexOf('\t');
		if (newline >= 0 && (firstTab < 0 || firstTab > newline)) {
			return decodeShort(id, queue, envelope, newline, attempts);
		}
		int secondTab = (firstTab < 0) ? -1 : envelope.indexOf('\t', firstTab + 1);
		if (newline < 0 || secondTab < 0 || secondTab > newline) {
			throw new CorruptJobException("Job " + id + " is stored corrupt: the header line is not "
					+ "'type<TAB>createdAt<TAB>options' followed by the payload");
		}
		try {
			String type = envelope.substring(0, firstTab);
			long createdAt = Long.parseLong(envelope, firstTab + 1, secondTab, 10);
			Options options = (secondTab + 1 < newline) ? readOptions(envelope.substring(secondTab + 1, newline))
					: Options.NONE;
			return new Job(id, type, queue, envelope.substring(newline + 1), options.priority(),
					Instant.ofEpochMilli(createdAt), attempts, options.maxRetries(), options.metadata(), options.timeout(),
					options.backoff(), null, null, false);
		}
		catch (CorruptJobException | IllegalArgumentException | NullPointerException ex) {
			throw new CorruptJobException("Job " + id + " is stored corrupt: " + ex.getMessage());
		}
	}

	/** A plain job stored as {@code type\npayload}, created at its id's time. */
	private Job decodeShort(String id, String queue, String envelope, int newline, int attempts) {
		long createdAt = JobIds.timeOf(id);
		if (createdAt < 0) {
			throw new CorruptJobException("Job " + id + " is stored corrupt: its header line has no creation time and its "
					+ "id carries none");
		}
		try {
			return new Job(id, envelope.substring(0, newline), queue, envelope.substring(newline + 1), 0,
					Instant.ofEpochMilli(createdAt), attempts, null, Map.of(), null, null, null, null, false);
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			throw new CorruptJobException("Job " + id + " is stored corrupt: " + ex.getMessage());
		}
	}

	/** The options of a job that differ from the defaults. */
	private record Options(int priority, Integer maxRetries, Duration timeout, Map<String, String> metadata,
			BackOff backoff) {

		static final Options NONE = new Options(0, null, null, Map.of(), null);

	}

	private Options readOptions(String stored) {
		int priority = 0;
		Integer maxRetries = null;
		Duration timeout = null;
		BackOff backoff = null;
		Map<String, String> metadata = Map.of();
		try (JsonParser json = this.mapper.createParser(stored)) {
			if (json.nextToken() != JsonToken.START_OBJECT) {
				throw new CorruptJobException("the options are not a JSON object");
			}
			while (json.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = json.currentName();
				json.nextToken();
				switch (name) {
					case "priority" -> priority = json.getIntValue();
					case "maxRetries" -> maxRetries = json.getIntValue();
					case "timeoutMs" -> timeout = Duration.ofMillis(json.getLongValue());
					case "metadata" -> metadata = readMetadata(json);
					case "backoff" -> backoff = readBackOff(json.readValueAsTree());
					default -> json.skipChildren();
				}
			}
		}
		catch (JacksonException ex) {
			throw new CorruptJobException("the options are not valid JSON: " + ex.getOriginalMessage());
		}
		return new Options(priority, maxRetries, timeout, metadata, backoff);
	}

	private static Map<String, String> readMetadata(JsonParser json) {
		Map<String, String> metadata = new LinkedHashMap<>();
		if (json.currentToken() != JsonToken.START_OBJECT) {
			throw new CorruptJobException("metadata is not an object");
		}
		while (json.nextToken() == JsonToken.PROPERTY_NAME) {
			String key = json.currentName();
			json.nextToken();
			metadata.put(key, json.getValueAsString());
		}
		return metadata;
	}

	String encodeError(JobError error) {
		StringWriter out = new StringWriter();
		try (JsonGenerator json = this.mapper.createGenerator(out)) {
			json.writeStartObject();
			json.writeStringProperty("message", error.message());
			if (error.exceptionType() != null) {
				json.writeStringProperty("type", error.exceptionType());
			}
			if (error.stackTrace() != null) {
				json.writeStringProperty("stackTrace", error.stackTrace());
			}
			if (error.workerId() != null) {
				json.writeStringProperty("worker", error.workerId());
			}
			json.writeEndObject();
		}
		return out.toString();
	}

	JobError decodeError(String stored) {
		if (stored == null) {
			return null;
		}
		try {
			JsonNode json = this.mapper.readTree(stored);
			return new JobError(json.path("message").asString(""), json.path("type").asString(null),
					json.path("stackTrace").asString(null), json.path("worker").asString(null));
		}
		catch (JacksonException ex) {
			return new JobError("Unreadable error record: " + stored, null, null, null);
		}
	}

	private static void writeBackOff(JsonGenerator json, BackOff backoff) {
		json.writeStartObject();
		if (backoff instanceof BackOff.Fixed fixed) {
			json.writeStringProperty("kind", "fixed");
			json.writeName("delaysMs");
			json.writeStartArray();
			for (Duration delay : fixed.delays()) {
				json.writeNumber(delay.toMillis());
			}
			json.writeEndArray();
		}
		else if (backoff instanceof BackOff.Linear linear) {
			json.writeStringProperty("kind", "linear");
			json.writeNumberProperty("initialMs", linear.initial().toMillis());
			json.writeNumberProperty("incrementMs", linear.increment().toMillis());
			json.writeNumberProperty("maxMs", linear.max().toMillis());
		}
		else if (backoff instanceof BackOff.Exponential exponential) {
			json.writeStringProperty("kind", "exponential");
			json.writeNumberProperty("initialMs", exponential.initial().toMillis());
			json.writeNumberProperty("multiplier", exponential.multiplier());
			json.writeNumberProperty("maxMs", exponential.max().toMillis());
			json.writeNumberProperty("jitter", exponential.jitter());
		}
		json.writeEndObject();
	}

	private static BackOff readBackOff(JsonNode json) {
		String kind = json.path("kind").asString("");
		return switch (kind) {
			case "fixed" -> {
				List<Duration> delays = new ArrayList<>();
				json.path("delaysMs").forEach((delay) -> delays.add(Duration.ofMillis(delay.asLong())));
				yield new BackOff.Fixed(delays);
			}
			case "linear" -> new BackOff.Linear(millis(json, "initialMs"), millis(json, "incrementMs"), millis(json, "maxMs"));
			case "exponential" -> new BackOff.Exponential(millis(json, "initialMs"), json.path("multiplier").asDouble(2),
					millis(json, "maxMs"), json.path("jitter").asDouble(0));
			default -> throw new CorruptJobException("unknown back-off kind '" + kind + "'");
		};
	}

	private static Duration millis(JsonNode json, String name) {
		return Duration.ofMillis(requireNumber(json, name));
	}

	private static long requireNumber(JsonNode json, String name) {
		JsonNode value = json.get(name);
		if (value == null || !value.isNumber()) {
			throw new CorruptJobException("no " + name);
		}
		return value.asLong();
	}

}
