package dev.jobqueue.spring.autoconfigure;

import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
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

	/** Connections a worker may hold besides its handlers': fetch (blocking), heartbeat, settle, timer, maintenance. */
	static final int CONNECTIONS_PER_WORKER = 5;

	/** Dispatches, health, metrics, the monitor and the dashboard, beside the workers. */
	static final int CONNECTIONS_BESIDE_WORKERS = 16;

	/**
	 * How long a caller waits for a pooled connection when {@code spring.data.redis.jedis.pool.max-wait} is left
	 * at Boot's "forever": long enough for a busy moment, short enough that a starved pool shows as an error.
	 */
	static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(5);

	/** Longest wait for the reply of a blocking command (the workers' idle waits take at most a second or two). */
	static final int BLOCKING_READ_TIMEOUT_MILLIS = 15_000;

	private JobQueueRedisClients() {
	}

	/**
	 * The connections this node's workers may hold at once: each worker's handlers (progress, cancel checks,
	 * their own calls) and its fetch, heartbeat, settle and timer threads, plus dispatching and monitoring. Sized
	 * so that blocking fetches never leave heartbeats waiting for a connection.
	 */
	static int connectionsNeeded(JobQueueProperties properties) {
		if (!properties.getWorker().isEnabled()) {
			return MIN_CONNECTIONS;
		}
		int needed = CONNECTIONS_BESIDE_WORKERS;
		Set<String> pooled = new HashSet<>();
		for (JobQueueProperties.Pool pool : properties.getWorker().getPools().values()) {
			needed += pool.getConcurrency() + CONNECTIONS_PER_WORKER + pool.getQueues().size();
			pooled.addAll(pool.getQueues());
		}
		for (Map.Entry<String, JobQueueProperties.Queue> queue : properties.effectiveQueues().entrySet()) {
			if (!pooled.contains(queue.getKey())) {
				needed += queue.getValue().getConcurrency() + CONNECTIONS_PER_WORKER + queue.getValue().getShards();
			}
		}
		return Math.max(needed, MIN_CONNECTIONS);
	}

	static UnifiedJedis create(DataRedisConnectionDetails details, DataRedisProperties properties, int connections) {
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
		pool.setMaxTotal(Math.max(configured.getMaxActive(), connections));
		pool.setMaxIdle(Math.max(configured.getMaxIdle(), connections));
		pool.setMinIdle(configured.getMinIdle());
		// Never wait forever for a connection: a heartbeat stuck behind blocking fetches would let its lease expire.
		pool.setMaxWait((configured.getMaxWait() != null && !configured.getMaxWait().isNegative())
				? configured.getMaxWait() : DEFAULT_MAX_WAIT);
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
