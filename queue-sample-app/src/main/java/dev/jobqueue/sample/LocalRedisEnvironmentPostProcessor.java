package dev.jobqueue.sample;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import dev.jobqueue.test.LocalRedisServer;

/**
 * When no Redis is configured ({@code spring.data.redis.host}, {@code port}, {@code url} or cluster
 * nodes), starts a local {@code redis-server} for the sample and points {@code spring.data.redis}
 * at it, so the sample runs on a machine with nothing but a JDK. Turn it off with
 * {@code sample.local-redis=false}.
 */
public class LocalRedisEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	private static LocalRedisServer server;

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("sample.local-redis", Boolean.class, true) || redisConfigured(environment)) {
			return;
		}
		LocalRedisServer local = start();
		environment.getPropertySources().addLast(new MapPropertySource("sampleLocalRedis",
				Map.of("spring.data.redis.host", local.host(), "spring.data.redis.port", local.port(),
						"sample.local-redis.started", true)));
		application.addListeners((ApplicationListener<ContextClosedEvent>) (event) -> stop());
	}

	private static boolean redisConfigured(ConfigurableEnvironment environment) {
		return environment.containsProperty("spring.data.redis.host") || environment.containsProperty("spring.data.redis.port")
				|| environment.containsProperty("spring.data.redis.url")
				|| environment.containsProperty("spring.data.redis.cluster.nodes");
	}

	private static synchronized LocalRedisServer start() {
		if (server == null || !server.isRunning()) {
			server = LocalRedisServer.create().start();
			Runtime.getRuntime().addShutdownHook(new Thread(LocalRedisEnvironmentPostProcessor::stop, "sample-redis-stop"));
		}
		return server;
	}

	private static synchronized void stop() {
		if (server != null) {
			server.close();
			server = null;
		}
	}

	@Override
	public int getOrder() {
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

}
