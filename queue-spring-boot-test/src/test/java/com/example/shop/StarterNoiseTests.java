package com.example.shop;

import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/** An application with the starter starts without Spring Data's repository lines and with one Redis client. */
class StarterNoiseTests {

	@Test
	void startsWithoutSpringDataLinesOrASecondRedisClient() {
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		ListAppender<ILoggingEvent> logged = new ListAppender<>();
		logged.start();
		root.addAppender(logged);
		// Boot would reset logback at start and drop the appender; the test's logback set-up stays as it is.
		System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
		try (LocalRedisServer redis = LocalRedisServer.create().start()) {
			SpringApplication application = new SpringApplication(ShopApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			application.setMainApplicationClass(ShopApplication.class);
			try (ConfigurableApplicationContext context = application.run("--spring.data.redis.port=" + redis.port(),
					"--jobqueue.worker.enabled=false")) {
				List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
				assertThat(lines).anyMatch((line) -> line.startsWith("Started ShopApplication"))
					.noneMatch((line) -> line.contains("Multiple Spring Data modules found"))
					.noneMatch((line) -> line.contains("Bootstrapping Spring Data"))
					.noneMatch((line) -> line.contains("Found multiple occurrences of org.json.JSONObject"));
				assertThat(ClassUtils.isPresent("io.lettuce.core.RedisClient", null)).isFalse();
				assertThat(context.getBeanNamesForType(
						ClassUtils.resolveClassName("redis.clients.jedis.UnifiedJedis", null))).hasSize(1);
			}
		}
		finally {
			System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
			root.detachAppender(logged);
		}
	}

}
