package dev.jobqueue.core.redis;

import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RedisSetupCheckTests {

	@Test
	void warnsOnceWhenRedisMayEvictJobs() {
		ListAppender<ILoggingEvent> log = capture();
		try (LocalRedisServer server = LocalRedisServer.builder().setting("maxmemory-policy", "allkeys-lru").build().start();
				RedisClient client = RedisClient.create(server.host(), server.port())) {
			new RedisJobQueue(client, "a");
			new RedisJobQueue(client, "b");

			List<String> warnings = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
			assertThat(warnings).singleElement().asString().contains("maxmemory-policy is 'allkeys-lru'").contains("noeviction");
		}
	}

	@Test
	void warnsWhenRedisHasNoPersistence() {
		try (LocalRedisServer server = LocalRedisServer.builder().setting("appendonly", "no").build().start()) {
			assertThat(RedisSetupCheck.inspect(server.client())).singleElement().asString().contains("persistence is off");
		}
	}

	@Test
	void saysNothingWhenRedisIsSetUpForAQueue() {
		try (LocalRedisServer server = LocalRedisServer.builder().setting("maxmemory-policy", "noeviction").build().start()) {
			assertThat(RedisSetupCheck.inspect(server.client())).isEmpty();
		}
	}

	@Test
	void refusesToStartWhenStrict() {
		try (LocalRedisServer server = LocalRedisServer.builder().setting("maxmemory-policy", "volatile-lru").build().start();
				RedisClient client = RedisClient.create(server.host(), server.port())) {
			assertThatIllegalStateException()
				.isThrownBy(() -> new RedisJobQueue(client, "q", QueueOptions.defaults().withStrictRedisCheck(true)))
				.withMessageContaining("volatile-lru");
		}
	}

	private static ListAppender<ILoggingEvent> capture() {
		Logger logger = (Logger) LoggerFactory.getLogger(RedisSetupCheck.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		return appender;
	}

}
