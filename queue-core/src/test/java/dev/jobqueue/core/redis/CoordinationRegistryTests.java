package dev.jobqueue.core.redis;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.leader.LeaderElection;
import dev.jobqueue.core.limit.RateLimiter;
import dev.jobqueue.core.limit.Semaphore;
import dev.jobqueue.core.lock.DistributedLock;
import dev.jobqueue.core.lock.Lock;
import dev.jobqueue.core.lock.LockListener;
import dev.jobqueue.core.redis.CoordinationRegistry.Kind;
import dev.jobqueue.core.redis.CoordinationRegistry.Primitive;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CoordinationRegistryTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private CoordinationRegistry registry;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.registry = new CoordinationRegistry(redis.server().client(), "reg");
	}

	@Test
	void primitivesAreListedAtFirstUseWithTheirHoldersAndWhatRemains() throws Exception {
		var client = redis.server().client();
		try (DistributedLock locks = new DistributedLock(client, "reg", LockListener.NONE)) {
			Lock lock = locks.acquire("report", Duration.ofSeconds(30)).orElseThrow();
			Semaphore semaphore = new Semaphore(client, "reg", "smtp", 3);
			semaphore.acquire(Duration.ofSeconds(30)).orElseThrow();
			RateLimiter limiter = new RateLimiter(client, "reg", "api", 10, Duration.ofHours(1), 4, (k, s, d) -> {
			});
			limiter.attempt();
			limiter.attempt();

			List<Primitive> listed = this.registry.inspect();

			assertThat(listed).extracting(Primitive::kind, Primitive::name).containsExactly(
					org.assertj.core.groups.Tuple.tuple(Kind.LOCK, "report"),
					org.assertj.core.groups.Tuple.tuple(Kind.SEMAPHORE, "smtp"),
					org.assertj.core.groups.Tuple.tuple(Kind.RATE_LIMITER, "api"));
			Primitive held = listed.get(0);
			assertThat(held.holders()).containsExactly("token " + lock.fencingToken() + " · "
					+ client.get("reg:lock:{report}").split(":", 2)[1]);
			assertThat(held.ttl()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(30));
			assertThat(listed.get(1).holders()).hasSize(1);
			assertThat(listed.get(1).remaining()).isEqualTo(2);
			assertThat(listed.get(1).limit()).isEqualTo(3);
			assertThat(listed.get(2).remaining()).isEqualTo(2);
			assertThat(listed.get(2).limit()).isEqualTo(10);

			lock.release();
			assertThat(this.registry.inspect().get(0).holders()).isEmpty();
		}
	}

	@Test
	void aLeaderElectionShowsItsTerm() {
		try (LeaderElection election = new LeaderElection(redis.server().client(), "reg", "reaper",
				Duration.ofSeconds(30), Duration.ofSeconds(1)).start()) {
			await().until(election::isLeader);

			Primitive leader = this.registry.inspect().get(0);

			assertThat(leader.kind()).isEqualTo(Kind.LEADER);
			assertThat(leader.holders()).singleElement().asString().startsWith("term " + election.term() + " · ");
		}
	}

	@Test
	void theListIsBounded() {
		var client = redis.server().client();
		for (int i = 0; i < CoordinationRegistry.MAX_NAMES; i++) {
			CoordinationRegistry.register(client, "reg", Kind.LOCK, "l" + i, "");
		}
		CoordinationRegistry.register(client, "reg", Kind.LOCK, "one-too-many", "");
		CoordinationRegistry.register(client, "reg", Kind.LOCK, "l7", "");

		assertThat(client.hlen(CoordinationRegistry.key("reg"))).isEqualTo(CoordinationRegistry.MAX_NAMES);
		assertThat(client.hexists(CoordinationRegistry.key("reg"), "LOCK\tone-too-many")).isFalse();
	}

}
