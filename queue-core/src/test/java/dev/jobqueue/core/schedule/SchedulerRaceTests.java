package dev.jobqueue.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.nodes.Node;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.redis.RedisClock;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A schedule firing every second on three JVMs, one restarted, then all of them down for 10 s. The nodes count 8 s
 * without a look as an outage, so that a loaded machine stalling all three for a few seconds is not one.
 */
class SchedulerRaceTests {

	static final int FIRE_TIMES = 30;

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	@Test
	void eachFireTimeIsEnqueuedOnceAcrossNodesAndRestartsAndAnOutageFiresOnce() throws Exception {
		RedisClient client = redis.server().client();
		List<Node> nodes = new ArrayList<>();
		try {
			for (int n = 0; n < 3; n++) {
				nodes.add(Node.start("scheduler", redis.server().port(), "n" + n));
			}
			await().atMost(Duration.ofSeconds(120)).until(() -> fires(client).size() >= FIRE_TIMES / 2);
			nodes.get(1).kill();
			nodes.set(1, Node.start("scheduler", redis.server().port(), "n1-restarted"));
			await().atMost(Duration.ofSeconds(120)).until(() -> fires(client).size() >= FIRE_TIMES);

			for (Node node : nodes) {
				node.kill();
			}
			Instant downAt = RedisClock.now(client);
			long lastBefore = fires(client).lastKey();
			await().atMost(Duration.ofSeconds(60)).until(() -> RedisClock.now(client).isAfter(downAt.plusSeconds(10)));
			for (int n = 0; n < 3; n++) {
				nodes.set(n, Node.start("scheduler", redis.server().port(), "n" + n + "-after-outage"));
			}
			await().atMost(Duration.ofSeconds(120))
				.until(() -> fires(client).tailMap(lastBefore, false).size() >= 4);
			for (Node node : nodes) {
				node.kill();
			}

			TreeMap<Long, List<String>> fires = fires(client);
			long duplicates = fires.values().stream().filter((by) -> by.size() > 1).count();
			List<Long> before = new ArrayList<>(fires.headMap(lastBefore, true).keySet());
			List<Long> after = new ArrayList<>(fires.tailMap(lastBefore, false).keySet());
			long missedJobs = fires.values().stream().flatMap(List::stream).filter((f) -> f.endsWith("true")).count();
			Map<String, Long> perNode = fires.values().stream().flatMap(List::stream)
				.collect(Collectors.groupingBy((f) -> f.split(" ")[0], TreeMap::new, Collectors.counting()));
			RedisJobQueue ticks = new RedisJobQueue(client, "ticks");
			System.out.printf("Schedule every second on 3 JVMs: %d fire times before the outage (one JVM restarted), "
					+ "duplicates %d, gaps %d; after a 10 s outage of all JVMs: first job %d ms after the last one, "
					+ "jobs for missed times %d; jobs per node %s; jobs in the queue %d%n", before.size(), duplicates,
					gaps(before), after.get(0) - lastBefore, missedJobs, perNode, ticks.stats().pending());

			assertThat(duplicates).isZero();
			assertThat(before.size()).isGreaterThanOrEqualTo(FIRE_TIMES);
			assertThat(gaps(before)).isZero();
			// One job stands for the ten or so missed fire times, then every second again.
			assertThat(missedJobs).isEqualTo(1);
			assertThat(after.get(0) - lastBefore).isGreaterThanOrEqualTo(9_000);
			assertThat(gaps(after)).isZero();
			assertThat(ticks.stats().pending()).isEqualTo(fires.size());
		}
		finally {
			for (Node node : nodes) {
				node.close();
			}
		}
	}

	/** Fire time -> the "node missed?" entries of the jobs enqueued for it. */
	private static TreeMap<Long, List<String>> fires(RedisClient client) {
		TreeMap<Long, List<String>> fires = new TreeMap<>();
		for (String entry : client.lrange("test:fires", 0, -1)) {
			String[] parts = entry.split(" ");
			fires.computeIfAbsent(Long.valueOf(parts[1]), (fire) -> new ArrayList<>()).add(parts[0] + " " + parts[2]);
		}
		return fires;
	}

	private static long gaps(List<Long> times) {
		long gaps = 0;
		for (int i = 1; i < times.size(); i++) {
			if (times.get(i) - times.get(i - 1) != 1_000) {
				gaps++;
			}
		}
		return gaps;
	}

}
