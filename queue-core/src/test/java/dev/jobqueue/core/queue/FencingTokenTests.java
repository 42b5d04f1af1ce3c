package dev.jobqueue.core.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.test.LocalRedisServer;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fencing tokens across a failover: a replica promoted after it missed the master's last lease grants (real
 * replication, then detached) must not grant a token the old master already gave to another worker.
 */
class FencingTokenTests {

	@RegisterExtension
	static RedisServerExtension master = new RedisServerExtension();

	@Test
	void aReplicaPromotedAfterMissingTheLastGrantsGrantsHigherTokensThanTheOldMasterEverDid() {
		RedisJobQueue onMaster = new RedisJobQueue(master.server().client(), "fenced");
		for (int i = 0; i < 20; i++) {
			onMaster.enqueue(Job.of("charge", Map.of("n", i)));
		}
		List<Long> masterTokens = new ArrayList<>(grant(onMaster, 5));
		String tokenKey = onMaster.keys().key("token");

		try (LocalRedisServer replica = LocalRedisServer.builder()
			.setting("replicaof", master.server().host() + " " + master.server().port())
			.build()
			.start()) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> master.server().client().get(tokenKey).equals(replica.client().get(tokenKey)));
			try (Jedis connection = new Jedis(replica.hostAndPort())) {
				connection.replicaofNoOne();
			}
			List<Long> missed = grant(onMaster, 5);
			masterTokens.addAll(missed);
			long lastMasterGrant = onMaster.store().lease(0, false).now().toEpochMilli();
			assertThat(Long.parseLong(replica.client().get(tokenKey))).as("the replica missed the last grants")
				.isLessThan(missed.get(0));

			// A failover takes longer than a millisecond: the promoted server's clock is past the last grant.
			await().atMost(Duration.ofSeconds(5)).until(() -> replica.timeMillis() > lastMasterGrant);
			RedisJobQueue onPromoted = new RedisJobQueue(replica.client(), "fenced");
			List<Long> promotedTokens = grant(onPromoted, 3);

			assertThat(promotedTokens).allSatisfy((token) -> assertThat(token).isGreaterThan(max(masterTokens)));
			assertThat(promotedTokens).doesNotHaveDuplicates().isSorted();
		}
	}

	private static List<Long> grant(RedisJobQueue queue, int leases) {
		List<Long> tokens = new ArrayList<>();
		for (int i = 0; i < leases; i++) {
			tokens.add(queue.store().lease(1, false).jobs().get(0).token());
		}
		return tokens;
	}

	private static long max(List<Long> tokens) {
		return tokens.stream().mapToLong(Long::longValue).max().orElseThrow();
	}

}
