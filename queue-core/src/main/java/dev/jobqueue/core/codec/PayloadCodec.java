package dev.jobqueue.core.codec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns payloads into JSON and binds JSON to the payload type a handler declares. The mapper never
 * uses default typing or class names found in the data: the declared type alone decides what is
 * built. Thread-safe.
 */
public final class PayloadCodec {

	private static final PayloadCodec DEFAULTS = new PayloadCodec(JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build());

	private final JsonMapper mapper;

	/** A reader per payload type: the type is resolved once, not on every job. */
	private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();

	public PayloadCodec(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/** A codec over a plain Jackson mapper that ignores unknown properties (payloads may gain fields). */
	public static PayloadCodec defaults() {
		return DEFAULTS;
	}

	public JsonMapper mapper() {
		return this.mapper;
	}

	public String write(Object payload) {
		try {
			return this.mapper.writeValueAsString(payload);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Cannot write the payload " + payload.getClass().getName() + " as JSON: "
					+ ex.getOriginalMessage(), ex);
		}
	}

	/** Binds JSON to {@code type}; a mismatch is a {@link PayloadBindingException} that says why. */
	public <T> T read(String json, Class<T> type) {
		try {
			return this.readers.computeIfAbsent(type, this.mapper::readerFor).readValue(json);
		}
		catch (JacksonException ex) {
			throw new PayloadBindingException("The payload does not bind to " + type.getName() + ": " + ex.getOriginalMessage(), ex);
		}
	}

	/** Binds JSON to a generic type such as {@code List<Email>}; a mismatch is a {@link PayloadBindingException}. */
	public Object read(String json, java.lang.reflect.Type type) {
		try {
			return this.mapper.readValue(json, this.mapper.constructType(type));
		}
		catch (JacksonException ex) {
			throw new PayloadBindingException("The payload does not bind to " + type.getTypeName() + ": "
					+ ex.getOriginalMessage(), ex);
		}
	}

	/** Parses JSON, failing with a clear message when it is not JSON. */
	public JsonNode readTree(String json) {
		try {
			return this.mapper.readTree(json);
		}
		catch (JacksonException ex) {
			throw new PayloadBindingException("Not valid JSON: " + ex.getOriginalMessage(), ex);
		}
	}

}
