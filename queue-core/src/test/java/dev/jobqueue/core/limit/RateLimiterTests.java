package dev.jobqueue.core.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.nodes.Node;
import dev.jobqueue.core.nodes.RedisStats;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class RateLimiterTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	RedisClient client;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
	}

	@Test
	void withoutBurstRequestsAreSpacedByWindowOverLimit() {
		RateLimiter limiter = new RateLimiter(this.client, "api", 10, Duration.ofMinutes(1));

		RateLimiter.Decision first = limiter.attempt();
		RateLimiter.Decision second = limiter.attempt();

		assertThat(first.allowed()).isTrue();
		assertThat(first.remaining()).isZero();
		assertThat(second.allowed()).isFalse();
		assertThat(second.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(6));
	}

	@Test
	void aBurstPassesAtOnceAndThenTheLimiterSaysWhenToComeBack() {
		RateLimiter limiter = new RateLimiter(this.client, "jobqueue", "api", 10, Duration.ofMinutes(1), 5,
				RateLimiter.Listener.NONE);
		List<Integer> remaining = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			RateLimiter.Decision decision = limiter.attempt();
			assertThat(decision.allowed()).isTrue();
			remaining.add(decision.remaining());
		}
		RateLimiter.Decision denied = limiter.attempt();

		assertThat(remaining).containsExactly(4, 3, 2, 1, 0);
		assertThat(denied.allowed()).isFalse();
		// Sustained rate (10 - 5 + 1) per minute keeps any minute at 10 or fewer.
		assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void eachSubKeyHasItsOwnLimitAndIdleKeysExpire() {
		RateLimiter limiter = new RateLimiter(this.client, "api", 1, Duration.ofMillis(500));

		assertThat(limiter.attempt("tenant-a").allowed()).isTrue();
		assertThat(limiter.attempt("tenant-a").allowed()).isFalse();
		assertThat(limiter.attempt("tenant-b").allowed()).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.client.exists("jobqueue:ratelimit:{api:tenant-a}") == false);
		assertThat(limiter.attempt("tenant-a").allowed()).isTrue();
	}

	@Test
	void badInputIsAClearError() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimiter(this.client, "api", 0, Duration.ofSeconds(1)))
			.withMessageContaining("at least 1");
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimiter(this.client, "api", 5, Duration.ZERO))
			.withMessageContaining("window");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RateLimiter(this.client, "jobqueue", "api", 5, Duration.ofSeconds(1), 6,
					RateLimiter.Listener.NONE))
			.withMessageContaining("burst");
	}

	@Test
	void threeJvmsTogetherGetExactlyTheLimitInTheBusiestWindowAndNeverMore() throws Exception {
		int limit = 20;
		long windowMicros = 2_000_000;
		List<Node> nodes = new ArrayList<>();
		try {
			for (int n = 0; n < 3; n++) {
				nodes.add(Node.start("limiter", redis.server().port(), "n" + n, 16, limit, windowMicros / 1000, 10, 10));
			}
			Map<String, Long> before = RedisStats.calls(this.client);
			for (int n = 0; n < 3; n++) {
				this.client.rpush("test:go:n" + n, "go");
			}
			await().atMost(Duration.ofMinutes(2)).until(() -> this.client.llen("test:done") == 3);
			Map<String, Long> after = RedisStats.calls(this.client);
			List<Long> admitted = this.client.lrange("test:admitted", 0, -1).stream().map(Long::valueOf).sorted().toList();

			int busiest = 0;
			for (int first = 0, last = 0; first < admitted.size(); first++) {
				while (last < admitted.size() && admitted.get(last) < admitted.get(first) + windowMicros) {
					last++;
				}
				busiest = Math.max(busiest, last - first);
			}
			List<Integer> perWindow = new ArrayList<>();
			long start = admitted.get(0);
			for (long from = start; from + windowMicros <= admitted.get(admitted.size() - 1); from += windowMicros) {
				long windowStart = from;
				perWindow.add((int) admitted.stream().filter((at) -> at >= windowStart && at < windowStart + windowMicros)
					.count());
			}
			long attempts = Long.parseLong(this.client.get("test:attempts"));
			System.out.printf("Rate limiter %d per %d s (burst 10) from 3 JVMs x 16 threads: %d attempts, %d admitted; "
					+ "busiest window %d; per consecutive window from the first admission %s; %.2f scripts per attempt%n",
					limit, windowMicros / 1_000_000, attempts, admitted.size(), busiest, perWindow,
					(RedisStats.delta(before, after, "evalsha") + RedisStats.delta(before, after, "eval"))
							/ (double) attempts);

			assertThat(busiest).isEqualTo(limit);
			assertThat(perWindow.get(0)).isEqualTo(limit);
		}
		finally {
			for (Node node : nodes) {
				node.close();
			}
		}
	}

}
