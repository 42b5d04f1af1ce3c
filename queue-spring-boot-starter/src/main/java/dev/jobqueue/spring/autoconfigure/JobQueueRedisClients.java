package dev.jobqueue.spring.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import javax.net.ssl.SSLParameters;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.ssl.SslBundle;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds the Jedis client of the job queue from the application's Redis connection details
 * ({@code spring.data.redis.*}, or a Testcontainers service connection). With TLS, the server's
 * host name is always verified.
 */
final class JobQueueRedisClients {

	/** Fetchers block on Redis and handlers report progress: the pool must not be Jedis's default of 8. */
	static final int MIN_CONNECTIONS = 32;

	private JobQueueRedisClients() {
	}

	static UnifiedJedis create(DataRedisConnectionDetails details, DataRedisProperties properties) {
		if (details.getSentinel() != null) {
			throw new IllegalStateException("The job queue does not support Redis Sentinel yet: point spring.data.redis "
					+ "at the master, or use Redis Cluster");
		}
		DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
			.user(details.getUsername())
			.password(details.getPassword())
			.timeoutMillis(millis(properties.getTimeout(), 5_000))
			.connectionTimeoutMillis(millis(properties.getConnectTimeout(), 5_000))
			.clientName(properties.getClientName());
		SslBundle bundle = details.getSslBundle();
		if (bundle != null || properties.getSsl().isEnabled()) {
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
		DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
		return RedisClient.builder()
			.hostAndPort(standalone.getHost(), standalone.getPort())
			.clientConfig(config.database(standalone.getDatabase()).build())
			.poolConfig(pool)
			.build();
	}

	private static int millis(Duration duration, int fallback) {
		return (duration != null) ? (int) duration.toMillis() : fallback;
	}

}
