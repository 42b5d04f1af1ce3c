package dev.jobqueue.spring.autoconfigure;

import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.ssl.SslBundle;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds the Jedis client of the job queue from the application's Redis connection details
 * ({@code spring.data.redis.*}, or a Testcontainers service connection): a cluster client for
 * {@code cluster.nodes}, a Sentinel-aware client that follows failovers for {@code sentinel.*}, else a
 * pooled client of one server; and checks it once at start-up. With TLS, the server's host name is always verified. The starter creates no other
 * Redis client.
 */
final class JobQueueRedisClients {

	private static final Logger logger = LoggerFactory.getLogger(JobQueueRedisClients.class);

	/** Fetchers block on Redis and handlers report progress: the pool must not be Jedis's default of 8. */
	static final int MIN_CONNECTIONS = 32;

	/** Longest wait for the reply of a blocking command (the workers' idle waits take at most a second or two). */
	static final int BLOCKING_READ_TIMEOUT_MILLIS = 15_000;

	private JobQueueRedisClients() {
	}

	static UnifiedJedis create(DataRedisConnectionDetails details, DataRedisProperties properties) {
		DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
			.user(details.getUsername())
			.password(details.getPassword())
			.timeoutMillis(millis(properties.getTimeout(), 5_000))
			.connectionTimeoutMillis(millis(properties.getConnectTimeout(), 5_000))
			// Idle workers block for at most a second or two: a blocking read that lasts far longer is a dead connection.
			.blockingSocketTimeoutMillis(BLOCKING_READ_TIMEOUT_MILLIS)
			.clientName(properties.getClientName());
		SslBundle bundle = details.getSslBundle();
		if (bundle != null || (details instanceof PropertiesRedisConnectionDetails fromProperties && fromProperties.usesSsl())) {
			SSLParameters parameters = new SSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			config.ssl(true).sslParameters(parameters);
			if (bundle != null) {
				config.sslSocketFactory(bundle.createSslContext().getSocketFactory());
			}
		}
		ConnectionPoolConfig pool = new ConnectionPoolConfig();
		DataRedisProperties.Pool configured = properties.getJedis().getPool();
		pool.setMaxTotal(Math.max(configured.getMaxActive(), MIN_CONNECTIONS));
		pool.setMaxIdle(Math.max(configured.getMaxIdle(), MIN_CONNECTIONS));
		pool.setMinIdle(configured.getMinIdle());
		if (configured.getMaxWait() != null && !configured.getMaxWait().isNegative()) {
			pool.setMaxWait(configured.getMaxWait());
		}
		if (details.getCluster() != null) {
			Set<HostAndPort> nodes = details.getCluster().getNodes().stream()
				.map((node) -> new HostAndPort(node.host(), node.port()))
				.collect(Collectors.toSet());
			return RedisClusterClient.builder().nodes(nodes).clientConfig(config.build()).poolConfig(pool).build();
		}
		DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
		if (sentinel != null) {
			if (sentinel.getMaster() == null || sentinel.getNodes().isEmpty()) {
				throw new IllegalStateException("spring.data.redis.sentinel needs both master (the name the Sentinels "
						+ "know it by) and nodes (host:port of each Sentinel)");
			}
			// Sentinels may have credentials of their own; the master gets the connection's.
			DefaultJedisClientConfig.Builder sentinelConfig = DefaultJedisClientConfig.builder()
				.user(sentinel.getUsername())
				.password(sentinel.getPassword())
				.timeoutMillis(millis(properties.getTimeout(), 5_000))
				.connectionTimeoutMillis(millis(properties.getConnectTimeout(), 5_000));
			return RedisSentinelClient.builder()
				.masterName(sentinel.getMaster())
				.sentinels(sentinel.getNodes().stream().map((node) -> new HostAndPort(node.host(), node.port()))
					.collect(Collectors.toSet()))
				.clientConfig(config.database(sentinel.getDatabase()).build())
				.sentinelClientConfig(sentinelConfig.build())
				.poolConfig(pool)
				.build();
		}
		DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
		return RedisClient.builder()
			.hostAndPort(standalone.getHost(), standalone.getPort())
			.clientConfig(config.database(standalone.getDatabase()).build())
			.poolConfig(pool)
			.build();
	}

	/**
	 * Pings Redis once. Refused credentials and failed TLS handshakes are configuration errors and
	 * fail start-up with {@link RedisConnectionConfigurationException}; an unreachable Redis is only
	 * logged, since it may come up later (health is DOWN meanwhile).
	 */
	static void verify(UnifiedJedis client, DataRedisConnectionDetails details) {
		try {
			client.ping();
		}
		catch (RuntimeException ex) {
			RedisConnectionConfigurationException configuration = configurationError(ex, where(details));
			if (configuration != null) {
				throw configuration;
			}
			logger.warn("Redis at {} does not answer at start-up ({}): the job queue starts anyway and its health is DOWN "
					+ "until Redis answers", where(details), rootMessage(ex));
		}
	}

	private static RedisConnectionConfigurationException configurationError(RuntimeException failure, String where) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = String.valueOf(cause.getMessage());
			if (message.startsWith("NOAUTH")) {
				return new RedisConnectionConfigurationException("Redis at " + where + " requires a password, and the job "
						+ "queue connected without one (" + message + ")", "Set spring.data.redis.password (and "
						+ "spring.data.redis.username for an ACL user), or give them in spring.data.redis.url", failure);
			}
			if (message.startsWith("WRONGPASS") || message.startsWith("NOPERM")) {
				return new RedisConnectionConfigurationException("Redis at " + where + " refused the job queue's user name "
						+ "or password (" + message + ")", "Correct spring.data.redis.username and spring.data.redis.password "
						+ "(or the credentials in spring.data.redis.url); the user needs PING and the queue's commands",
						failure);
			}
			if (cause instanceof SSLException || cause instanceof CertificateException) {
				return new RedisConnectionConfigurationException("The TLS handshake with Redis at " + where + " failed: "
						+ rootMessage(cause), "If the server's certificate names another host, set spring.data.redis.host "
						+ "to a name it lists (host names are always verified); if it is not trusted, set "
						+ "spring.data.redis.ssl.bundle to an SSL bundle (spring.ssl.bundle.*) whose truststore holds its "
						+ "CA; if the server does not speak TLS, set spring.data.redis.ssl.enabled=false or use redis://",
						failure);
			}
		}
		return null;
	}

	private static String where(DataRedisConnectionDetails details) {
		if (details.getSentinel() != null) {
			return "Sentinel master " + details.getSentinel().getMaster() + " via " + details.getSentinel().getNodes().stream()
				.map((node) -> node.host() + ":" + node.port()).collect(Collectors.joining(", "));
		}
		if (details.getCluster() != null) {
			return details.getCluster().getNodes().stream().map((node) -> node.host() + ":" + node.port())
				.collect(Collectors.joining(", "));
		}
		return details.getStandalone().getHost() + ":" + details.getStandalone().getPort();
	}

	private static String rootMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

	private static int millis(Duration duration, int fallback) {
		return (duration != null) ? (int) duration.toMillis() : fallback;
	}

}
