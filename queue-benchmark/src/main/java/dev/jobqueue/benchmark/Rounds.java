package dev.jobqueue.benchmark;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Interleaves this harness's throughput run with the peer script's, K times on the same Redis, and prints
 * each round's ratios and their medians: figures taken at the same moment of a shared machine compare;
 * figures from different moments do not.
 */
final class Rounds {

	/** Fields compared: higher is better for rates, lower for costs. */
	private static final List<String> FIELDS = List.of("enqueue_bulk_per_s", "enqueue_bulk_redis_us_per_job",
			"process_per_s", "process_redis_us_per_job", "enqueue_single_pipelined_per_s",
			"enqueue_single_pipelined_redis_us_per_job", "enqueue_single_c64_per_s", "enqueue_single_c64_redis_us_per_job");

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final BenchmarkOptions options;

	private final Measurements measurements;

	Rounds(BenchmarkOptions options, Measurements measurements) {
		this.options = options;
		this.measurements = measurements;
	}

	void run(Consumer<JsonLine> out) throws Exception {
		Map<String, List<Double>> ratios = new LinkedHashMap<>();
		for (int round = 1; round <= this.options.rounds(); round++) {
			int r = round;
			List<JsonLine> ours = new ArrayList<>();
			this.measurements.throughput((line) -> ours.add(line.put("round", r)));
			ours.forEach(out);
			for (Map<String, Object> peer : peers()) {
				out.accept(line(peer).put("round", r));
				JsonLine ratio = new JsonLine("ratio").put("round", r).put("versus", peer.get("system"));
				for (String field : FIELDS) {
					Object theirs = peer.get(field);
					Object mine = ours.get(0).fields().get(field);
					if (theirs instanceof Number t && mine instanceof Number m && t.doubleValue() > 0) {
						double value = Math.round(m.doubleValue() / t.doubleValue() * 100) / 100.0;
						ratio.put(field, value);
						ratios.computeIfAbsent(peer.get("system") + "/" + field, (key) -> new ArrayList<>()).add(value);
					}
				}
				out.accept(ratio);
			}
		}
		Map<String, JsonLine> medians = new LinkedHashMap<>();
		ratios.forEach((key, values) -> {
			String versus = key.substring(0, key.indexOf('/'));
			medians.computeIfAbsent(versus, (v) -> new JsonLine("median_ratio").put("rounds", this.options.rounds())
				.put("versus", v)).put(key.substring(key.indexOf('/') + 1), median(values));
		});
		medians.values().forEach(out);
	}

	/** Runs the peer script's throughput measurement on the same Redis and returns its JSON lines. */
	private List<Map<String, Object>> peers() throws Exception {
		File script = new File(this.options.peers());
		if (!script.isFile()) {
			throw new IllegalStateException("No peer script at " + script.getAbsolutePath() + "; give it with --peers");
		}
		ProcessBuilder builder = new ProcessBuilder("bash", script.getPath(), "throughput").redirectErrorStream(false);
		builder.environment().put("REDIS_PORT", String.valueOf(this.options.port()));
		builder.environment().put("N", String.valueOf(this.options.jobs()));
		builder.environment().put("C", String.valueOf(this.options.concurrency()));
		builder.environment().put("WARM", String.valueOf(this.options.warm()));
		builder.redirectError(ProcessBuilder.Redirect.DISCARD);
		Process process = builder.start();
		List<Map<String, Object>> lines = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String row;
			while ((row = reader.readLine()) != null) {
				if (row.startsWith("{")) {
					JsonNode json = mapper.readTree(row);
					Map<String, Object> fields = new LinkedHashMap<>();
					json.properties().forEach((entry) -> fields.put(entry.getKey(),
							entry.getValue().isNumber() ? entry.getValue().numberValue() : entry.getValue().asString()));
					lines.add(fields);
				}
			}
		}
		if (process.waitFor() != 0) {
			throw new IllegalStateException("The peer script " + script + " failed with exit code " + process.exitValue());
		}
		return lines;
	}

	private static JsonLine line(Map<String, Object> fields) {
		JsonLine line = new JsonLine(String.valueOf(fields.get("system")));
		fields.forEach((name, value) -> {
			if (!name.equals("system")) {
				line.put(name, value);
			}
		});
		return line;
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

}
