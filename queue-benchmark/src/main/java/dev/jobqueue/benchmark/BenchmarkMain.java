package dev.jobqueue.benchmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;

import dev.jobqueue.test.LocalRedisCluster;
import dev.jobqueue.test.LocalRedisServer;

/**
 * Runs the benchmark against a Redis it is pointed at (or a local one it starts), in a queue of its
 * own whose keys it removes afterwards, and prints one JSON line per measurement.
 */
public final class BenchmarkMain {

	private BenchmarkMain() {
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
		BenchmarkOptions options;
		try {
			options = BenchmarkOptions.parse(args);
		}
		catch (RuntimeException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		run(options, System.out::println);
		System.exit(0);
	}

	/** Runs every measurement asked for and hands each line to {@code out}. */
	static List<JsonLine> run(BenchmarkOptions options, Consumer<JsonLine> out) throws Exception {
		if (options.shards() > 0) {
			return shards(options, out);
		}
		LocalRedisServer local = null;
		String host = options.host();
		int port = options.port();
		if (host == null) {
			local = LocalRedisServer.builder().setting("appendonly", "no").build().start();
			host = local.host();
			port = local.port();
		}
		List<JsonLine> lines = new ArrayList<>();
		Consumer<JsonLine> sink = (line) -> {
			lines.add(line);
			out.accept(line);
		};
		ConnectionPoolConfig pool = pool(options);
		try (RedisClient redis = RedisClient.builder().hostAndPort(new HostAndPort(host, port))
			.clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(10_000).build()).poolConfig(pool).build()) {
			Measurements measurements = new Measurements(redis, host, port, options);
			if (options.rounds() > 0) {
				new Rounds(options, measurements).run(sink);
				return lines;
			}
			for (String what : options.what()) {
				switch (what) {
					case "baseline" -> measurements.redisBaseline(sink);
					case "throughput" -> measurements.throughput(sink);
					case "batch" -> measurements.batch(sink);
					case "latency" -> {
						measurements.latency(500, sink);
						measurements.latency(2_000, sink);
					}
					case "memory" -> measurements.memory(10_000, sink);
					case "memory-1m" -> measurements.memory(1_000_000, sink);
					default -> throw new IllegalArgumentException(what);
				}
			}
		}
		finally {
			if (local != null) {
				local.close();
			}
		}
		return lines;
	}

	/** {@code --shards}: one queue over 1 to N partitions, on a cluster or on as many standalone servers. */
	static List<JsonLine> shards(BenchmarkOptions options, Consumer<JsonLine> out) throws Exception {
		List<JsonLine> lines = new ArrayList<>();
		Consumer<JsonLine> sink = (line) -> {
			lines.add(line);
			out.accept(line);
		};
		ShardScaling scaling = new ShardScaling(options);
		if (options.cluster() != null) {
			LocalRedisCluster local = options.cluster().equals("local") ? LocalRedisCluster.start(3, 0, Map.of("appendonly", "no")) : null;
			Set<HostAndPort> nodes = (local != null) ? local.hostAndPorts() : Arrays.stream(options.cluster().split(","))
				.map(HostAndPort::from).collect(Collectors.toSet());
			try (RedisClusterClient cluster = RedisClusterClient.builder().nodes(nodes).poolConfig(pool(options))
				.clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(10_000).build()).build()) {
				List<RedisClient> masters = ShardScaling.masters(cluster);
				try {
					scaling.onCluster(cluster, masters, sink);
				}
				finally {
					masters.forEach(RedisClient::close);
				}
			}
			finally {
				if (local != null) {
					local.close();
				}
			}
			return lines;
		}
		List<LocalRedisServer> servers = new ArrayList<>();
		List<RedisClient> clients = new ArrayList<>();
		try {
			for (int i = 0; i < options.shards(); i++) {
				LocalRedisServer server = LocalRedisServer.builder().setting("appendonly", "no").build().start();
				servers.add(server);
				clients.add(RedisClient.builder().hostAndPort(server.hostAndPort()).poolConfig(pool(options))
					.clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(10_000).build()).build());
			}
			scaling.onServers(clients, sink);
		}
		finally {
			clients.forEach(RedisClient::close);
			servers.forEach(LocalRedisServer::close);
		}
		return lines;
	}

	private static ConnectionPoolConfig pool(BenchmarkOptions options) {
		ConnectionPoolConfig pool = new ConnectionPoolConfig();
		pool.setMaxTotal(Math.max(64, options.concurrency() + 16));
		pool.setMaxIdle(pool.getMaxTotal());
		return pool;
	}

}
