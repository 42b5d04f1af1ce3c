package dev.jobqueue.benchmark;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** One measurement as a JSON line, with the field names the peer scripts print. */
final class JsonLine {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final Map<String, Object> fields = new LinkedHashMap<>();

	JsonLine(String system) {
		this.fields.put("system", system);
	}

	JsonLine put(String name, Object value) {
		this.fields.put(name, value);
		return this;
	}

	Map<String, Object> fields() {
		return this.fields;
	}

	@Override
	public String toString() {
		return mapper.writeValueAsString(this.fields);
	}

}
