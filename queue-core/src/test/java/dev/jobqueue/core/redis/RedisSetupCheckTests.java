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

	@Test
	void strictRefusesToStartWhenRedisCannotBeReached() throws Exception {
		int port;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		try (RedisClient client = RedisClient.create("127.0.0.1", port)) {
			assertThatIllegalStateException()
				.isThrownBy(() -> new RedisJobQueue(client, "q", QueueOptions.defaults().withStrictRedisCheck(true)))
				.withMessageContaining("Could not check the Redis settings").withMessageContaining("strict");
			// Not strict: Redis may come up later, so the queue is created and the check runs again next time.
			assertThat(new RedisJobQueue(client, "q").name()).isEqualTo("q");
		}
	}

	@Test
	void settingsHiddenBehindADisabledConfigCommandAreReportedAndRefusedWhenStrict() {
		try (LocalRedisServer server = LocalRedisServer.builder().setting("appendonly", "no").build().start();
				RedisClient client = RedisClient.create(server.host(), server.port())) {
			// As managed services do: CONFIG is not allowed.
			client.sendCommand(redis.clients.jedis.Protocol.Command.ACL, "SETUSER", "default", "-config");
			assertThat(RedisSetupCheck.inspect(client)).singleElement().asString()
				.contains("persistence cannot be checked").contains("CONFIG is disabled");
			assertThatIllegalStateException()
				.isThrownBy(() -> new RedisJobQueue(client, "q", QueueOptions.defaults().withStrictRedisCheck(true)))
				.withMessageContaining("cannot be checked");
		}
	}

	@Test
	void aRedisOlderThanTheScriptsNeedIsRefusedWhateverTheStrictness() {
		assertThatIllegalStateException().isThrownBy(() -> RedisSetupCheck.checkVersion("6.2.14"))
			.withMessage("Redis 6.2.14 is too old for the job queue: its scripts need Redis 7.0 or later");
		RedisSetupCheck.checkVersion("7.0.15");
		RedisSetupCheck.checkVersion("8.2.1");
	}

	private static ListAppender<ILoggingEvent> capture() {
		Logger logger = (Logger) LoggerFactory.getLogger(RedisSetupCheck.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		return appender;
	}

}
