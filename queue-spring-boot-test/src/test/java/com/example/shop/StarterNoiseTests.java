package com.example.shop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/** An application with the starter starts without Spring Data's repository lines and with one Redis client. */
@ExtendWith(OutputCaptureExtension.class)
class StarterNoiseTests {

	@Test
	void startsWithoutSpringDataLinesOrASecondRedisClient(CapturedOutput output) {
		try (LocalRedisServer redis = LocalRedisServer.create().start()) {
			SpringApplication application = new SpringApplication(ShopApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			try (ConfigurableApplicationContext context = application.run("--spring.data.redis.port=" + redis.port(),
					"--jobqueue.worker.enabled=false")) {
				assertThat(output).contains("Started ShopApplication")
					.doesNotContain("Multiple Spring Data modules found")
					.doesNotContain("Bootstrapping Spring Data")
					.doesNotContain("Found multiple occurrences of org.json.JSONObject");
				assertThat(ClassUtils.isPresent("io.lettuce.core.RedisClient", null)).isFalse();
				assertThat(context.getBeanNamesForType(
						ClassUtils.resolveClassName("redis.clients.jedis.UnifiedJedis", null))).hasSize(1);
			}
		}
	}

}
