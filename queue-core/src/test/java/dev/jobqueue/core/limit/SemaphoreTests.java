package dev.jobqueue.core.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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

class SemaphoreTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	RedisClient client;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
	}

	@Test
	void givesOutAtMostTheLimitAndTakesPermitsBack() {
		Semaphore semaphore = new Semaphore(this.client, "pool", 2);
		Semaphore.Permit first = semaphore.acquire(Duration.ofSeconds(10)).orElseThrow();
		Semaphore.Permit second = semaphore.acquire(Duration.ofSeconds(10)).orElseThrow();

		assertThat(semaphore.acquire(Duration.ofSeconds(10))).isEmpty();
		assertThat(semaphore.available()).isZero();
		assertThat(Long.parseLong(second.id())).isGreaterThan(Long.parseLong(first.id()));
		assertThat(semaphore.release(first.id())).isTrue();
		assertThat(semaphore.release(first.id())).isFalse();
		assertThat(semaphore.available()).isEqualTo(1);
	}

	@Test
	void anExpiredPermitComesBackAndCannotBeReleasedOrExtended() {
		Semaphore semaphore = new Semaphore(this.client, "pool", 1);
		Semaphore.Permit stale = semaphore.acquire(Duration.ofMillis(200)).orElseThrow();
		Semaphore.Permit next = await().atMost(Duration.ofSeconds(10))
			.until(() -> semaphore.acquire(Duration.ofSeconds(10)), Optional::isPresent).orElseThrow();

		assertThat(semaphore.extend(stale.id(), Duration.ofSeconds(10))).isEmpty();
		assertThat(semaphore.release(stale.id())).isFalse();
		assertThat(semaphore.extend(next.id(), Duration.ofSeconds(20))).isPresent();
		assertThat(semaphore.available()).isZero();
	}

	@Test
	void theLimitCanBeChangedAtRunTimeForEveryInstance() {
		Semaphore one = new Semaphore(this.client, "pool", 1);
		Semaphore other = new Semaphore(this.client, "pool", 1);
		one.acquire(Duration.ofSeconds(10)).orElseThrow();
		assertThat(other.acquire(Duration.ofSeconds(10))).isEmpty();

		one.setLimit(3);

		assertThat(other.limit()).isEqualTo(3);
		assertThat(other.acquire(Duration.ofSeconds(10))).isPresent();
		assertThat(other.acquire(Duration.ofSeconds(10))).isPresent();
		assertThat(other.acquire(Duration.ofSeconds(10))).isEmpty();
	}

	@Test
	void aWaiterGetsAReleasedPermit() throws Exception {
		Semaphore semaphore = new Semaphore(this.client, "pool", 1);
		Semaphore.Permit held = semaphore.acquire(Duration.ofSeconds(60)).orElseThrow();
		CompletableFuture<Optional<Semaphore.Permit>> waiter = CompletableFuture.supplyAsync(() -> {
			try {
				return semaphore.tryAcquire(Duration.ofSeconds(10), Duration.ofSeconds(30));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> this.client.info("clients").contains("blocked_clients:1"));
		semaphore.release(held.id());

		assertThat(waiter.get()).isPresent();
	}

	@Test
	void badInputIsAClearError() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Semaphore(this.client, "pool", 0))
			.withMessageContaining("at least 1");
		Semaphore semaphore = new Semaphore(this.client, "pool", 1);
		assertThatIllegalArgumentException().isThrownBy(() -> semaphore.acquire(Duration.ofMillis(-5)))
			.withMessageContaining("permit TTL");
		assertThatIllegalArgumentException().isThrownBy(() -> semaphore.setLimit(0));
	}

	@Test
	void neverMoreThanFiveHoldersWhileHoldersAreKilledAndDeadHoldersPermitsComeBack() throws Exception {
		List<Node> nodes = new ArrayList<>();
		List<Integer> sampled = new ArrayList<>();
		try {
			for (int n = 0; n < 3; n++) {
				nodes.add(Node.start("semaphore", redis.server().port(), 4, 5, 3_000));
			}
			for (Node victim : nodes) {
				long grants = grants();
				await().atMost(Duration.ofSeconds(60)).until(() -> {
					sampled.add(holdersNow());
					return grants() >= grants + 100;
				});
				victim.kill();
			}
			// Every permit a killed holder kept comes back after its lease: a new holder takes all five.
			try (Node hog = Node.start("semaphore-hold", redis.server().port(), 5, 10_000)) {
				await().atMost(Duration.ofSeconds(60)).until(() -> "yes".equals(this.client.get("test:holding")));
				Semaphore semaphore = new Semaphore(this.client, "pool", 5);
				hog.kill();
				assertThat(semaphore.acquire(Duration.ofSeconds(1))).isEmpty();
				await().atMost(Duration.ofSeconds(60)).until(() -> semaphore.available() == 5);
				assertThat(semaphore.acquire(Duration.ofSeconds(1))).isPresent();
			}
			int max = Integer.parseInt(this.client.get("test:max"));
			System.out.printf("Semaphore of 5: %s grants from 3 JVMs x 4 threads, 3 racing JVMs and one holding all 5 killed with SIGKILL; "
					+ "most holders at once %d (recorded at each grant), sampled max %d%n", this.client.get("test:grants"),
					max, sampled.stream().mapToInt(Integer::intValue).max().orElse(0));
			assertThat(max).isEqualTo(5);
			assertThat(sampled).allSatisfy((holders) -> assertThat(holders).isLessThanOrEqualTo(5));
			assertThat(this.client.get("test:errors")).isNull();
		}
		finally {
			for (Node node : nodes) {
				node.close();
			}
		}
	}

	private long grants() {
		String grants = this.client.get("test:grants");
		return (grants != null) ? Long.parseLong(grants) : 0;
	}

	private int holdersNow() {
		long now = RedisClock.now(this.client).toEpochMilli();
		return (int) this.client.zcount("test:inside", "(" + now, "+inf");
	}

}
