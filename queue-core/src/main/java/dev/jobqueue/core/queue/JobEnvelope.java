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
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON a job is stored as in Redis: type, payload, creation time and the options that differ
 * from the defaults. Everything read back is untrusted: a corrupt envelope is an
 * {@link CorruptJobException} that names what is wrong, and nothing in it selects a Java class.
 * Thread-safe.
 */
final class JobEnvelope {

	private final JsonMapper mapper;

	JobEnvelope(PayloadCodec codec) {
		this.mapper = codec.mapper();
	}

	String encode(Job job) {
		StringWriter out = new StringWriter(64 + job.payload().length());
		try (JsonGenerator json = this.mapper.createGenerator(out)) {
			json.writeStartObject();
			json.writeStringProperty("type", job.type());
			json.writeName("payload");
			json.writeRawValue(job.payload());
			json.writeNumberProperty("createdAt", job.createdAt().toEpochMilli());
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
		JsonNode json;
		try {
			json = this.mapper.readTree(envelope);
		}
		catch (JacksonException ex) {
			throw new CorruptJobException("Job " + id + " is stored as something that is not JSON: " + ex.getOriginalMessage());
		}
		try {
			String type = requireText(json, "type");
			JsonNode payload = json.get("payload");
			if (payload == null) {
				throw new CorruptJobException("no payload");
			}
			Map<String, String> metadata = new LinkedHashMap<>();
			JsonNode meta = json.get("metadata");
			if (meta != null) {
				meta.properties().forEach((entry) -> metadata.put(entry.getKey(), entry.getValue().asString()));
			}
			return new Job(id, type, queue, payload.toString(), json.path("priority").asInt(0),
					Instant.ofEpochMilli(requireNumber(json, "createdAt")), attempts,
					json.has("maxRetries") ? json.get("maxRetries").asInt() : null, metadata,
					json.has("timeoutMs") ? Duration.ofMillis(json.get("timeoutMs").asLong()) : null,
					json.has("backoff") ? readBackOff(json.get("backoff")) : null, null, null);
		}
		catch (CorruptJobException | IllegalArgumentException ex) {
			throw new CorruptJobException("Job " + id + " is stored corrupt: " + ex.getMessage());
		}
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

	private static String requireText(JsonNode json, String name) {
		JsonNode value = json.get(name);
		if (value == null || !value.isString() || value.asString().isBlank()) {
			throw new CorruptJobException("no " + name);
		}
		return value.asString();
	}

	private static long requireNumber(JsonNode json, String name) {
		JsonNode value = json.get(name);
		if (value == null || !value.isNumber()) {
			throw new CorruptJobException("no " + name);
		}
		return value.asLong();
	}

}
