package dev.jobqueue.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import static org.assertj.core.api.Assertions.assertThat;

class RedisServerExtensionTests {

	@RegisterExtension
	static RedisServerExtension redis = RedisServerExtension.withSettings((settings) -> settings.setting("maxmemory-policy", "noeviction"));

	@Test
	void injectsTheServerAndAClientForTheSameServer(LocalRedisServer server, RedisClient client) {
		assertThat(server).isSameAs(redis.server());
		client.set("x", "1");
		assertThat(server.client().get("x")).isEqualTo("1");
		assertThat(client.info("memory")).contains("maxmemory_policy:noeviction");
	}

}
