package dev.jobqueue.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

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
		assertThat(ours).anySatisfy((f) -> assertThat(f).containsKeys("enqueue_bulk_per_s", "enqueue_bulk_redis_us_per_job",
				"process_per_s", "process_redis_us_per_job", "process_worker_us_per_job", "enqueue_single_pipelined_per_s",
				"enqueue_single_pipelined_redis_us_per_job", "enqueue_single_c64_per_s",
				"enqueue_single_c64_redis_us_per_job", "heap_after_drain_mb", "warm")
			.containsEntry("N", 300).containsEntry("C", 8));
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
	void interleavesRoundsWithThePeerScriptAndPrintsRatiosAndTheirMedian(@TempDir Path dir) throws Exception {
		Path peers = dir.resolve("run.sh");
		// A stand-in for the peer script: the same output shape, fixed figures.
		Files.writeString(peers, "echo '{\"system\":\"bullmq\",\"N\":'$N',\"process_per_s\":100,"
				+ "\"process_redis_us_per_job\":50}'\n");
		BenchmarkOptions options = BenchmarkOptions.parse("--redis", "127.0.0.1:" + redis.server().port(), "--n", "200",
				"--warm", "100", "--concurrency", "4", "--rounds", "2", "--peers", peers.toString());

		List<JsonLine> lines = BenchmarkMain.run(options, (line) -> {
		});

		List<Map<String, Object>> fields = lines.stream().map(JsonLine::fields).toList();
		assertThat(fields).filteredOn((f) -> "jobqueue".equals(f.get("system"))).extracting((f) -> f.get("round"))
			.containsExactly(1, 2);
		assertThat(fields).filteredOn((f) -> "bullmq".equals(f.get("system"))).hasSize(2)
			.allSatisfy((f) -> assertThat(f).containsEntry("N", 200));
		assertThat(fields).filteredOn((f) -> "ratio".equals(f.get("system"))).hasSize(2)
			.allSatisfy((f) -> assertThat(f).containsKeys("process_per_s", "process_redis_us_per_job"));
		assertThat(fields).filteredOn((f) -> "median_ratio".equals(f.get("system"))).singleElement()
			.satisfies((f) -> assertThat(f).containsEntry("versus", "bullmq").containsEntry("rounds", 2)
				.containsKey("process_per_s"));
	}

	@Test
	void explainsItsUsageOnABadArgument() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchmarkOptions.parse("--fast"))
			.withMessageContaining("usage:");
	}

}
