package dev.jobqueue.test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RedisProxyTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private RedisProxy proxy;

	private RedisClient direct;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.direct = redis.server().client();
		this.proxy = RedisProxy.to(redis.server());
	}

	@AfterEach
	void tearDown() {
		this.proxy.close();
	}

	private Jedis throughProxy(Duration timeout) {
		return new Jedis(this.proxy.hostAndPort(),
				DefaultJedisClientConfig.builder().timeoutMillis((int) timeout.toMillis()).build());
	}

	@Test
	void forwardsCommandsAndReplies() {
		try (Jedis jedis = throughProxy(Duration.ofSeconds(10))) {
			jedis.set("greeting", "hello");

			assertThat(this.direct.get("greeting")).isEqualTo("hello");
			assertThat(jedis.get("greeting")).isEqualTo("hello");
			assertThat(this.proxy.connections()).isEqualTo(1);
		}
	}

	@Test
	void aBlackholeHoldsWhatIsSentUntilItHealsThenDeliversIt() throws Exception {
		try (Jedis jedis = throughProxy(Duration.ofSeconds(30)); Jedis latecomer = throughProxy(Duration.ofSeconds(1))) {
			jedis.ping();
			this.proxy.blackhole();

			CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> jedis.set("held", "yes"));
			// A client connecting during the partition is accepted but gets no answer.
			assertThatExceptionOfType(JedisConnectionException.class).isThrownBy(latecomer::ping);
			assertThat(reply).isNotDone();
			assertThat(this.direct.get("held")).isNull();

			this.proxy.heal();

			assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("OK");
			assertThat(this.direct.get("held")).isEqualTo("yes");
		}
	}

	@Test
	void aCutReplyLeavesTheCommandRunButTheClientDisconnected() {
		try (Jedis jedis = throughProxy(Duration.ofSeconds(10))) {
			jedis.set("other", "1");
			this.proxy.cutNextReply("counter");

			assertThat(jedis.get("other")).isEqualTo("1");
			assertThatExceptionOfType(JedisConnectionException.class).isThrownBy(() -> jedis.incr("counter"));
			assertThat(this.direct.get("counter")).isEqualTo("1");
			assertThat(this.proxy.repliesCut()).isEqualTo(1);
		}
		try (Jedis again = throughProxy(Duration.ofSeconds(10))) {
			assertThat(again.incr("counter")).isEqualTo(2);
		}
	}

	@Test
	void aStrandedConnectionDropsWhatIsSentForGoodWhileNewConnectionsWork() {
		try (Jedis stranded = throughProxy(Duration.ofSeconds(1))) {
			stranded.ping();
			this.proxy.strand();

			assertThatExceptionOfType(JedisConnectionException.class).isThrownBy(() -> stranded.set("lost", "yes"));
			assertThat(this.direct.get("lost")).isNull();
		}
		try (Jedis later = throughProxy(Duration.ofSeconds(10))) {
			assertThat(later.set("later", "yes")).isEqualTo("OK");
			assertThat(this.direct.get("later")).isEqualTo("yes");
		}
	}

	@Test
	void closingEndsEveryConnection() {
		try (Jedis jedis = throughProxy(Duration.ofSeconds(10))) {
			jedis.ping();

			this.proxy.close();

			assertThatExceptionOfType(JedisConnectionException.class).isThrownBy(jedis::ping);
			assertThat(this.proxy.connections()).isZero();
		}
	}

}
