package dev.jobqueue.core.leader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.nodes.Node;
import dev.jobqueue.core.redis.RedisClock;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class LeaderElectionTests {

	static final long LEASE = 3_000;

	static final long CHECK = 500;

	/** Room for a loaded machine on top of the promised lease + check interval. */
	static final long SLACK = 5_000;

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	RedisClient client;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
	}

	@Test
	void oneOfTwoCandidatesLeadsAndTheOtherTakesOverAtOnceWhenItCloses() {
		List<String> events = new CopyOnWriteArrayList<>();
		LeaderElection first = election("a", events);
		LeaderElection second = election("b", events);
		try {
			first.start();
			await().atMost(Duration.ofSeconds(10)).until(first::isLeader);
			second.start();
			assertThat(second.isLeader()).isFalse();
			long firstTerm = first.term();

			first.close();

			await().atMost(Duration.ofSeconds(10)).until(second::isLeader);
			assertThat(second.term()).isGreaterThan(firstTerm);
			assertThat(first.isLeader()).isFalse();
			assertThat(events).containsSubsequence("a elected " + firstTerm, "a revoked " + firstTerm,
					"b elected " + second.term());
		}
		finally {
			first.close();
			second.close();
		}
	}

	@Test
	void aLeaderWhoseKeyIsTakenStepsDown() {
		List<String> events = new CopyOnWriteArrayList<>();
		try (LeaderElection election = election("a", events).start()) {
			await().atMost(Duration.ofSeconds(10)).until(election::isLeader);
			this.client.set("jobqueue:leader:{cron}", "999:usurper");

			await().atMost(Duration.ofSeconds(10)).until(() -> !election.isLeader());
			assertThat(events).contains("a revoked 1");
		}
	}

	@Test
	void badInputIsAClearError() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new LeaderElection(this.client, "jobqueue", "cron", Duration.ZERO, Duration.ofSeconds(1)))
			.withMessageContaining("lease");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new LeaderElection(this.client, "jobqueue", "cron", Duration.ofSeconds(2),
					Duration.ofSeconds(1)))
			.withMessageContaining("half its lease");
	}

	@Test
	void aKilledLeaderIsReplacedInTimeAndAPausedOneStepsDownBeforeItsLeaseRunsOut() throws Exception {
		Map<String, Node> nodes = new HashMap<>();
		try {
			for (String name : List.of("n0", "n1", "n2")) {
				nodes.put(name, Node.start("leader", redis.server().port(), name, LEASE, CHECK));
			}
			Event first = awaitElection(1);
			long killedAt = RedisClock.now(this.client).toEpochMilli();
			nodes.get(first.node()).kill();

			Event second = awaitElection(first.term() + 1);
			long pausedAt = RedisClock.now(this.client).toEpochMilli();
			Node paused = nodes.get(second.node());
			paused.pause();
			Event third = awaitElection(second.term() + 1);
			paused.resume();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> events().contains(new Event("revoked", second.node(), second.term(), 0)));

			List<Event> elections = events().stream().filter((event) -> event.kind().equals("elected")).toList();
			List<String[]> claims = this.client.lrange("test:claims", 0, -1).stream().map((c) -> c.split(" ")).toList();
			long lateClaims = claims.stream()
				.filter((c) -> Long.parseLong(c[1]) == second.term() && Long.parseLong(c[2]) >= third.at())
				.count();
			long killGap = second.at() - killedAt;
			long pauseGap = third.at() - pausedAt;
			System.out.printf("Leader election (lease %d ms, check %d ms): terms %s; leaderless gap after SIGKILL %d ms, "
					+ "after SIGSTOP %d ms; claims as leader after a newer term was elected: %d%n", LEASE, CHECK,
					elections.stream().map(Event::term).toList(), killGap, pauseGap, lateClaims);

			assertThat(elections.stream().map(Event::term).toList()).doesNotHaveDuplicates().isSorted();
			assertThat(killGap).isLessThanOrEqualTo(LEASE + CHECK + SLACK);
			assertThat(pauseGap).isLessThanOrEqualTo(LEASE + CHECK + SLACK);
			// The frozen leader never believed itself leader at a moment when the next one had been elected.
			assertThat(lateClaims).isZero();
			assertThat(claims).anySatisfy((c) -> assertThat(Long.parseLong(c[1])).isEqualTo(third.term()));
		}
		finally {
			for (Node node : nodes.values()) {
				node.close();
			}
		}
	}

	private Event awaitElection(long minTerm) {
		return await().atMost(Duration.ofSeconds(60)).until(() -> events().stream()
			.filter((event) -> event.kind().equals("elected") && event.term() >= minTerm)
			.findFirst()
			.orElse(null), (event) -> event != null);
	}

	private List<Event> events() {
		List<Event> events = new ArrayList<>();
		for (String line : this.client.lrange("test:events", 0, -1)) {
			String[] parts = line.split(" ");
			events.add(new Event(parts[0], parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3])));
		}
		return events;
	}

	private LeaderElection election(String name, List<String> events) {
		return new LeaderElection(this.client, "jobqueue", "cron", Duration.ofSeconds(3), Duration.ofMillis(500))
			.addListener(new LeadershipListener() {
				@Override
				public void elected(String election, long term) {
					events.add(name + " elected " + term);
				}

				@Override
				public void revoked(String election, long term) {
					events.add(name + " revoked " + term);
				}
			});
	}

	/** An election event; {@code at} is Redis's time, and is ignored by equality. */
	record Event(String kind, String node, long term, long at) {

		@Override
		public boolean equals(Object other) {
			return other instanceof Event event && event.kind.equals(this.kind) && event.node.equals(this.node)
					&& event.term == this.term;
		}

		@Override
		public int hashCode() {
			return java.util.Objects.hash(this.kind, this.node, this.term);
		}

	}

}
