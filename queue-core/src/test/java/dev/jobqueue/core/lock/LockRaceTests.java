package dev.jobqueue.core.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.nodes.Node;
import dev.jobqueue.core.nodes.RedisStats;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Locks raced for by several JVMs, and a holder frozen past its lease. */
class LockRaceTests {

	static final int NODES = 3;

	static final int THREADS = 50;

	static final int ACQUISITIONS = 10_000;

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	@Test
	void threeJvmsOfFiftyThreadsNeverOverlapAndSeeStrictlyGrowingTokens() throws Exception {
		redis.server().flushAll();
		RedisClient client = redis.server().client();
		List<Node> nodes = new ArrayList<>();
		try {
			for (int n = 0; n < NODES; n++) {
				int share = ACQUISITIONS / NODES + ((n < ACQUISITIONS % NODES) ? 1 : 0);
				nodes.add(Node.start("lock-race", redis.server().port(), "n" + n, THREADS, share));
			}
			Map<String, Long> before = RedisStats.calls(client);
			for (int n = 0; n < NODES; n++) {
				client.rpush("test:go:n" + n, "go");
			}
			await().atMost(Duration.ofMinutes(3)).until(() -> client.llen("test:done") == NODES);
			Map<String, Long> after = RedisStats.calls(client);

			List<String> log = client.lrange("test:log", 0, -1);
			int overlaps = 0;
			int outOfOrder = 0;
			long lastToken = 0;
			for (int i = 0; i + 1 < log.size(); i += 2) {
				String[] enter = log.get(i).split(" ");
				String[] exit = log.get(i + 1).split(" ");
				if (!enter[0].equals("enter") || !exit[0].equals("exit") || !enter[1].equals(exit[1])) {
					overlaps++;
				}
				long token = Long.parseLong(enter[2]);
				if (token <= lastToken) {
					outOfOrder++;
				}
				lastToken = token;
			}
			long scripts = RedisStats.delta(before, after, "evalsha") + RedisStats.delta(before, after, "eval");
			long pops = RedisStats.delta(before, after, "blpop");
			System.out.printf("Lock race: %d JVMs x %d threads, %d acquisitions, overlaps %d, tokens out of order %d, "
					+ "timeouts %s, lost releases %s; per acquisition %.2f scripts (acquire attempts + release) and "
					+ "%.2f blocking pops%n", NODES, THREADS, log.size() / 2, overlaps, outOfOrder,
					client.get("test:timeouts"), client.get("test:lost-releases"), scripts / (double) ACQUISITIONS,
					pops / (double) ACQUISITIONS);

			assertThat(log).hasSize(2 * ACQUISITIONS);
			assertThat(overlaps).isZero();
			assertThat(outOfOrder).isZero();
			assertThat(client.get("test:errors")).isNull();
			assertThat(client.get("test:lost-releases")).isNull();
		}
		finally {
			for (Node node : nodes) {
				node.close();
			}
		}
	}

	@Test
	void aHolderFrozenPastItsLeaseLosesTheLockAndItsLateWriteIsRefused() throws Exception {
		redis.server().flushAll();
		RedisClient client = redis.server().client();
		try (Node holder = Node.start("lock-pause", redis.server().port(), 2_000);
				DistributedLock locks = new DistributedLock(client, "jobqueue", LockListener.NONE)) {
			await().atMost(Duration.ofSeconds(60)).until(() -> client.hexists("test:report", "token"));
			long pausedToken = Long.parseLong(client.hget("test:report", "token"));
			holder.pause();

			Lock next = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
				.until(() -> locks.acquire("paused", Duration.ofSeconds(60)), java.util.Optional::isPresent)
				.orElseThrow();
			FencedStore store = new FencedStore(client, "jobqueue");
			assertThat(store.write("account", next.fencingToken(), "next holder")).isTrue();
			holder.resume();
			client.rpush("test:go", "go");
			await().atMost(Duration.ofSeconds(30)).until(() -> client.hexists("test:report", "released"));

			assertThat(next.fencingToken()).isGreaterThan(pausedToken);
			assertThat(client.hget("test:report", "released")).isEqualTo("false");
			assertThat(client.hget("test:report", "written")).isEqualTo("false");
			assertThat(next.isHeld()).isTrue();
			assertThat(store.read("account").orElseThrow().value()).isEqualTo("next holder");
			System.out.printf("Frozen holder: token %d, next holder's token %d; late release refused, late fenced "
					+ "write refused%n", pausedToken, next.fencingToken());
		}
	}

}
