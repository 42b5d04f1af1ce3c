package dev.jobqueue.test;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LocalRedisServerTests {

	@Test
	void startsOnAFreePortOtherThanTheDefaultAndAnswers() {
		try (LocalRedisServer server = LocalRedisServer.create().start()) {
			assertThat(server.port()).isNotEqualTo(6379);
			assertThat(server.client().ping()).isEqualTo("PONG");
			assertThat(server.client().info("persistence")).contains("aof_enabled:1");
		}
	}

	@Test
	void keepsDataAcrossARestartOnTheSamePort() {
		try (LocalRedisServer server = LocalRedisServer.create().start()) {
			RedisClient client = server.client();
			client.set("kept", "yes");
			int port = server.port();

			server.restart();

			assertThat(server.port()).isEqualTo(port);
			assertThat(client.get("kept")).isEqualTo("yes");
		}
	}

	@Test
	void isUnreachableOnceKilled() {
		try (LocalRedisServer server = LocalRedisServer.create().start()) {
			RedisClient client = server.client();
			server.kill();

			assertThat(server.isRunning()).isFalse();
			assertThatExceptionOfType(JedisConnectionException.class).isThrownBy(client::ping);
		}
	}

	@Test
	void appliesExtraSettings() {
		try (LocalRedisServer server = LocalRedisServer.builder().setting("maxmemory-policy", "allkeys-lru").build().start()) {
			assertThat(server.client().info("memory")).contains("maxmemory_policy:allkeys-lru");
		}
	}

	@Test
	void reportsWhyRedisDidNotStart() {
		LocalRedisServer server = LocalRedisServer.builder().setting("no-such-directive", "1").build();
		try {
			org.assertj.core.api.Assertions.assertThatIllegalStateException()
				.isThrownBy(server::start)
				.withMessageContaining("no-such-directive");
		}
		finally {
			server.close();
		}
	}

}
