package dev.jobqueue.spring.it;

import com.redis.testcontainers.RedisContainer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import redis.clients.jedis.UnifiedJedis;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis of a Testcontainers {@code @ServiceConnection} is the one the queue uses. Skipped without Docker. */
@SpringBootTest(classes = TestJobsApplication.class)
@Testcontainers(disabledWithoutDocker = true)
class ServiceConnectionTests {

	@Container
	@ServiceConnection
	static RedisContainer redis = new RedisContainer("redis:7");

	@Autowired
	UnifiedJedis client;

	@Test
	void usesTheContainersRedis() {
		this.client.set("where", "container");
		assertThat(redis.getRedisPort()).isPositive();
		assertThat(this.client.get("where")).isEqualTo("container");
	}

}
