package dev.jobqueue.test;

import java.util.function.Consumer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * JUnit 5 extension that runs one real {@code redis-server} per test class, on a free port in a
 * temporary directory, and stops it after the class.
 * <p>
 * Use it declaratively with {@code @ExtendWith(RedisServerExtension.class)}, or as a static field
 * with {@code @RegisterExtension} to change Redis settings. Test constructors and methods can take
 * a {@link LocalRedisServer} (to stop, kill or restart it) or a {@link RedisClient} parameter.
 */
public class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	private final LocalRedisServer.Builder builder = LocalRedisServer.builder();

	private LocalRedisServer server;

	/** Nested test classes share the outer class's server. */
	private int depth;

	public RedisServerExtension() {
	}

	/** An extension whose server gets extra {@code redis.conf} settings. */
	public static RedisServerExtension withSettings(Consumer<LocalRedisServer.Builder> customizer) {
		RedisServerExtension extension = new RedisServerExtension();
		customizer.accept(extension.builder);
		return extension;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		if (this.depth++ == 0) {
			this.server = this.builder.build().start();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (--this.depth == 0 && this.server != null) {
			this.server.close();
			this.server = null;
		}
	}

	/** The running server; only valid between the class's first and last test. */
	public LocalRedisServer server() {
		if (this.server == null) {
			throw new IllegalStateException("The Redis server runs only while the test class runs");
		}
		return this.server;
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return type == LocalRedisServer.class || type == RedisClient.class || type == UnifiedJedis.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return (type == LocalRedisServer.class) ? server() : server().client();
	}

}
