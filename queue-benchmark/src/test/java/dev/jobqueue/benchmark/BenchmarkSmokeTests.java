package dev.jobqueue.benchmark;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the whole harness on a tiny N so it cannot rot; asserts shape, never speed. */
class BenchmarkSmokeTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	@Test
	void printsEveryMeasurementWithThePeersFieldNamesAndCleansUp() throws Exception {
		BenchmarkOptions options = BenchmarkOptions.parse("--redis", "127.0.0.1:" + redis.server().port(), "--n", "300",
				"--concurrency", "8", "--seconds", "1", "all");

		List<JsonLine> lines = BenchmarkMain.run(options, (line) -> {
		});

		List<Map<String, Object>> ours = lines.stream().map(JsonLine::fields).filter((f) -> "jobqueue".equals(f.get("system"))).toList();
		assertThat(ours).anySatisfy((f) -> assertThat(f).containsKeys("enqueue_bulk_per_s", "process_per_s",
				"enqueue_single_pipelined_per_s", "heap_after_drain_mb").containsEntry("N", 300).containsEntry("C", 8));
		assertThat(ours).anySatisfy((f) -> assertThat(f).containsEntry("rate", 500).containsKeys("p50_ms", "p99_ms", "max_ms"));
		assertThat(ours).anySatisfy((f) -> assertThat(f).containsEntry("rate", 2000));
		assertThat(ours).anySatisfy((f) -> assertThat(f).containsKey("bytes_per_waiting_job"));
		assertThat(lines).anySatisfy((line) -> assertThat(line.fields()).containsEntry("system", "redis-benchmark"));
		assertThat(ours).allSatisfy((f) -> f.values().stream().filter(Number.class::isInstance)
			.forEach((value) -> assertThat(((Number) value).doubleValue()).isNotNegative()));
		assertThat(ours).anySatisfy((f) -> assertThat(((Number) f.getOrDefault("process_per_s", 0)).longValue()).isPositive());
		assertThat(lines.get(0).toString()).startsWith("{\"system\":");
		// Only redis-benchmark's own list may be left: every queue key is removed.
		assertThat(redis.server().client().keys("jobqueue:*")).isEmpty();
	}

	@Test
	void explainsItsUsageOnABadArgument() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchmarkOptions.parse("--fast"))
			.withMessageContaining("usage:");
	}

}
