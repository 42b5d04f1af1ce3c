package dev.jobqueue.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisSentinelClient;

/**
 * A real Sentinel set-up of {@code redis-server} child processes on free loopback ports: a master, one
 * replica and 3 Sentinels (quorum 2) watching them, with a 1 s down-after time so a killed master is replaced
 * within seconds. Not thread-safe: one owner starts and stops it.
 */
public final class LocalRedisSentinel implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LocalRedisSentinel.class);

	/** The name the Sentinels know the master by. */
	public static final String MASTER_NAME = "jobqueue-master";

	private final List<LocalRedisServer> servers = new ArrayList<>();

	private final List<Process> sentinels = new ArrayList<>();

	private final List<Integer> sentinelPorts = new ArrayList<>();

	private final Path directory;

	private RedisSentinelClient client;

	private LocalRedisSentinel() {
		try {
			this.directory = Files.createTempDirectory("jobqueue-sentinel-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Starts a master, a replica of it and 3 Sentinels, and waits until the Sentinels see both. */
	public static LocalRedisSentinel start() {
		LocalRedisSentinel sentinel = new LocalRedisSentinel();
		try {
			sentinel.form();
		}
		catch (RuntimeException ex) {
			sentinel.close();
			throw ex;
		}
		return sentinel;
	}

	private void form() {
		LocalRedisServer master = LocalRedisServer.builder().setting("repl-diskless-sync-delay", "0").build().start();
		LocalRedisServer replica = LocalRedisServer.builder().setting("repl-diskless-sync-delay", "0").build().start();
		this.servers.add(master);
		this.servers.add(replica);
		LocalRedisCluster.command(replica, "REPLICAOF", master.host(), String.valueOf(master.port()));
		LocalRedisCluster.await("the replica to sync", () -> LocalRedisCluster.info(replica, "replication")
			.contains("master_link_status:up"));
		for (int i = 0; i < 3; i++) {
			int port = freePort();
			Path config = this.directory.resolve("sentinel-" + port + ".conf");
			try {
				Files.writeString(config, String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + this.directory,
						"sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port() + " 2",
						"sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
						"sentinel failover-timeout " + MASTER_NAME + " 5000", "") + "\n");
				this.sentinels.add(new ProcessBuilder(LocalRedisServer.RedisBinary.path().toString(), config.toString(),
						"--sentinel").redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("sentinel-" + port + ".log").toFile()))
					.start());
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot start a Sentinel", ex);
			}
			this.sentinelPorts.add(port);
		}
		LocalRedisCluster.await("the Sentinels to see the master, its replica and each other",
				() -> this.sentinelPorts.stream().allMatch((port) -> {
					String info = sentinelInfo(port);
					return info.contains("status=ok") && info.contains("slaves=1") && info.contains("sentinels=3");
				}));
		logger.info("Redis Sentinel up: master {}, replica {}, sentinels {}", master.port(), replica.port(),
				this.sentinelPorts);
	}

	/** The master and the replica (which may have swapped roles after a failover: see {@link #master()}). */
	public List<LocalRedisServer> servers() {
		return List.copyOf(this.servers);
	}

	/** The server that is master now, as the Sentinels see it. */
	public LocalRedisServer master() {
		HostAndPort address = currentMaster();
		return this.servers.stream().filter((server) -> server.port() == address.getPort()).findFirst().orElseThrow();
	}

	/** The server that is not the master now. */
	public LocalRedisServer replica() {
		LocalRedisServer master = master();
		return this.servers.stream().filter((server) -> server != master).findFirst().orElseThrow();
	}

	public Set<HostAndPort> sentinels() {
		Set<HostAndPort> addresses = new LinkedHashSet<>();
		this.sentinelPorts.forEach((port) -> addresses.add(new HostAndPort("127.0.0.1", port)));
		return addresses;
	}

	/** A Sentinel-aware client, created on first use and closed with the set-up; it follows failovers. */
	public synchronized RedisSentinelClient client() {
		if (this.client == null) {
			this.client = newClient();
		}
		return this.client;
	}

	/** A new Sentinel-aware client, for the caller to close. */
	public RedisSentinelClient newClient() {
		ConnectionPoolConfig pool = new ConnectionPoolConfig();
		pool.setTestOnBorrow(true);
		return RedisSentinelClient.builder()
			.masterName(MASTER_NAME)
			.sentinels(sentinels())
			.clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(5000).build())
			.poolConfig(pool)
			.build();
	}

	/** Kills the master with SIGKILL and waits until the Sentinels promoted the replica. */
	public LocalRedisServer killMasterAndAwaitFailover() {
		return killMasterAndAwaitFailover(() -> {
		});
	}

	/** Kills the master with SIGKILL, runs {@code afterKill} (e.g. resume a paused replica), awaits the promotion. */
	public LocalRedisServer killMasterAndAwaitFailover(Runnable afterKill) {
		LocalRedisServer old = master();
		old.kill();
		afterKill.run();
		LocalRedisCluster.await("the Sentinels to promote the replica", () -> currentMaster().getPort() != old.port()
				&& LocalRedisCluster.info(master(), "replication").contains("role:master"));
		return old;
	}

	private HostAndPort currentMaster() {
		RuntimeException failure = null;
		for (int port : this.sentinelPorts) {
			try (Jedis sentinel = new Jedis(new HostAndPort("127.0.0.1", port))) {
				List<String> address = sentinel.sentinelGetMasterAddrByName(MASTER_NAME);
				return new HostAndPort(address.get(0), Integer.parseInt(address.get(1)));
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
		}
		throw failure;
	}

	private static String sentinelInfo(int port) {
		try (Jedis sentinel = new Jedis(new HostAndPort("127.0.0.1", port))) {
			return sentinel.info("sentinel");
		}
	}

	@Override
	public synchronized void close() {
		if (this.client != null) {
			this.client.close();
			this.client = null;
		}
		for (Process process : this.sentinels) {
			process.destroyForcibly();
			try {
				process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.servers.forEach(LocalRedisServer::close);
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			logger.debug("Could not delete {}", this.directory, ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port", ex);
		}
	}

}
