package dev.jobqueue.spring.it;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.jobqueue.spring.health.JobQueueHealthIndicator;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Health follows Redis: DOWN while it is gone, UP again once it is back. */
class RedisDownHealthTests {

	@Test
	void healthIsDownWhileRedisIsUnreachable() {
		try (LocalRedisServer server = LocalRedisServer.create().start();
				ConfigurableApplicationContext context = new SpringApplicationBuilder(TestJobsApplication.class)
					.web(WebApplicationType.NONE)
					.properties("spring.data.redis.port=" + server.port(), "spring.data.redis.timeout=500ms")
					.run()) {
			JobQueueHealthIndicator health = context.getBean(JobQueueHealthIndicator.class);
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);

			server.stop();
			assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.health(true).getDetails()).containsKey("error");

			server.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> health.health(true).getStatus().equals(Status.UP));
		}
	}

}
