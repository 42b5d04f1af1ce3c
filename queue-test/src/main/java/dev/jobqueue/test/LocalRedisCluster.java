package dev.jobqueue.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.SafeEncoder;

/**
 * A real Redis Cluster of {@code redis-server} child processes on free loopback ports: by default 3 masters
 * with one replica each, formed with {@code CLUSTER ADDSLOTSRANGE}, {@code MEET} and {@code REPLICATE} (no
 * {@code redis-cli} needed), with a short {@code cluster-node-timeout} so that a killed master is replaced
 * within seconds. Masters keep serving their slots while another master is down
 * ({@code cluster-require-full-coverage no}). Needs Redis 7.0+. Not thread-safe: one owner starts and stops it.
 */
public final class LocalRedisCluster implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LocalRedisCluster.class);

	private static final Duration FORM_TIMEOUT = Duration.ofSeconds(60);

	private final List<LocalRedisServer> nodes = new ArrayList<>();

	private final int masters;

	private RedisClusterClient client;

	private LocalRedisCluster(int masters, int replicasPerMaster, Duration nodeTimeout, Map<String, String> settings) {
		this.masters = masters;
		for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
			LocalRedisServer.Builder builder = LocalRedisServer.builder();
			settings.forEach(builder::setting);
			this.nodes.add(builder
				.setting("cluster-enabled", "yes")
				.setting("cluster-config-file", "nodes.conf")
				.setting("cluster-node-timeout", String.valueOf(nodeTimeout.toMillis()))
				.setting("cluster-require-full-coverage", "no")
				.setting("cluster-replica-validity-factor", "0")
				.setting("repl-diskless-sync-delay", "0")
				.build());
		}
	}

	/** Starts 3 masters and 3 replicas and waits until the cluster is formed. */
	public static LocalRedisCluster start() {
		return start(3, 1);
	}

	/** Starts {@code masters} masters with {@code replicasPerMaster} replicas each; node timeout 2 s. */
	public static LocalRedisCluster start(int masters, int replicasPerMaster) {
		return start(masters, replicasPerMaster, Map.of());
	}

	/** The same, each node with extra {@code redis.conf} settings (e.g. {@code appendonly no}). */
	public static LocalRedisCluster start(int masters, int replicasPerMaster, Map<String, String> settings) {
		LocalRedisCluster cluster = new LocalRedisCluster(masters, replicasPerMaster, Duration.ofSeconds(2), settings);
		try {
			cluster.form();
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
		return cluster;
	}

	private void form() {
		this.nodes.forEach(LocalRedisServer::start);
		int slotsPerMaster = 16384 / this.masters;
		for (int i = 0; i < this.masters; i++) {
			int last = (i == this.masters - 1) ? 16383 : (i + 1) * slotsPerMaster - 1;
			command(this.nodes.get(i), "CLUSTER", "ADDSLOTSRANGE", String.valueOf(i * slotsPerMaster), String.valueOf(last));
		}
		LocalRedisServer first = this.nodes.get(0);
		for (LocalRedisServer node : this.nodes.subList(1, this.nodes.size())) {
			command(node, "CLUSTER", "MEET", first.host(), String.valueOf(first.port()));
		}
		await("every node to know every other", () -> this.nodes.stream().allMatch((node) -> {
			String nodes = clusterNodes(node);
			return nodes.lines().count() == this.nodes.size() && !nodes.contains("handshake");
		}));
		for (int i = this.masters; i < this.nodes.size(); i++) {
			LocalRedisServer master = this.nodes.get(i % this.masters);
			command(this.nodes.get(i), "CLUSTER", "REPLICATE", nodeId(master));
		}
		await("the cluster to be up with every replica in sync", () -> this.nodes.stream()
			.allMatch((node) -> clusterState(node).contains("cluster_state:ok")
					&& (isMaster(node) || info(node, "replication").contains("master_link_status:up"))));
		logger.info("Redis Cluster of {} nodes up on ports {}", this.nodes.size(),
				this.nodes.stream().map(LocalRedisServer::port).toList());
	}

	/** Every node, masters first as formed (after a failover, roles may have changed: see {@link #masters()}). */
	public List<LocalRedisServer> nodes() {
		return List.copyOf(this.nodes);
	}

	/** The nodes that are masters now, among those running. */
	public List<LocalRedisServer> masters() {
		return this.nodes.stream().filter(LocalRedisServer::isRunning).filter(this::isMaster).toList();
	}

	/** The running master serving {@code key}'s slot (a key, or a {@code {tag}}). */
	public LocalRedisServer masterFor(String key) {
		int slot = JedisClusterCRC16.getSlot(key);
		for (LocalRedisServer node : masters()) {
			for (String line : clusterNodes(node).lines().toList()) {
				if (line.contains("myself") && servesSlot(line, slot)) {
					return node;
				}
			}
		}
		throw new IllegalStateException("No running master serves slot " + slot);
	}

	/** The running nodes that replicate {@code master}. */
	public List<LocalRedisServer> replicasOf(LocalRedisServer master) {
		String replication = info(master, "replication");
		return this.nodes.stream()
			.filter((node) -> node != master && node.isRunning()
					&& replication.contains("ip=" + node.host() + ",port=" + node.port() + ","))
			.toList();
	}

	/** The seed addresses of the cluster, for a client's configuration. */
	public Set<HostAndPort> hostAndPorts() {
		Set<HostAndPort> addresses = new LinkedHashSet<>();
		this.nodes.forEach((node) -> addresses.add(node.hostAndPort()));
		return addresses;
	}

	/** A cluster client, created on first use and closed with the cluster; it follows failovers by itself. */
	public synchronized RedisClusterClient client() {
		if (this.client == null) {
			this.client = newClient();
		}
		return this.client;
	}

	/** A new cluster client, for the caller to close. */
	public RedisClusterClient newClient() {
		ConnectionPoolConfig pool = new ConnectionPoolConfig();
		pool.setTestOnBorrow(true);
		return RedisClusterClient.builder()
			.nodes(hostAndPorts())
			.clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(5000).build())
			.poolConfig(pool)
			.maxAttempts(10)
			.maxTotalRetriesDuration(Duration.ofSeconds(20))
			.build();
	}

	/**
	 * Kills {@code master} with SIGKILL and waits until one of its replicas took its slots and every running node
	 * sees the cluster up again.
	 */
	public void killAndAwaitFailover(LocalRedisServer master) {
		killAndAwaitFailover(master, () -> {
		});
	}

	/** The same, running {@code afterKill} (e.g. resume a paused replica) right after the kill. */
	public void killAndAwaitFailover(LocalRedisServer master, Runnable afterKill) {
		Set<Integer> before = new HashSet<>(masters().stream().map(LocalRedisServer::port).toList());
		master.kill();
		afterKill.run();
		await("a replica to replace the master on port " + master.port(), () -> {
			List<LocalRedisServer> now = masters();
			return now.size() == this.masters && now.stream().anyMatch((node) -> !before.contains(node.port()))
					&& this.nodes.stream().filter(LocalRedisServer::isRunning)
						.allMatch((node) -> clusterState(node).contains("cluster_state:ok"));
		});
	}

	/** Deletes every key on every master. */
	public void flushAll() {
		for (LocalRedisServer node : masters()) {
			command(node, "FLUSHALL");
		}
	}

	@Override
	public synchronized void close() {
		if (this.client != null) {
			this.client.close();
			this.client = null;
		}
		this.nodes.forEach(LocalRedisServer::close);
	}

	boolean isMaster(LocalRedisServer node) {
		try {
			return info(node, "replication").contains("role:master");
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static boolean servesSlot(String line, int slot) {
		String[] fields = line.split(" ");
		for (int i = 8; i < fields.length; i++) {
			String range = fields[i];
			if (range.startsWith("[")) {
				continue;
			}
			int dash = range.indexOf('-');
			int from = Integer.parseInt((dash < 0) ? range : range.substring(0, dash));
			int to = (dash < 0) ? from : Integer.parseInt(range.substring(dash + 1));
			if (slot >= from && slot <= to) {
				return true;
			}
		}
		return false;
	}

	private static String clusterState(LocalRedisServer node) {
		return command(node, "CLUSTER", "INFO").toString();
	}

	private static String nodeId(LocalRedisServer node) {
		return command(node, "CLUSTER", "MYID").toString();
	}

	private static String clusterNodes(LocalRedisServer node) {
		return command(node, "CLUSTER", "NODES").toString();
	}

	static String info(LocalRedisServer node, String section) {
		try (Jedis jedis = new Jedis(node.hostAndPort(), DefaultJedisClientConfig.builder().timeoutMillis(2000).build())) {
			return jedis.info(section);
		}
	}

	static Object command(LocalRedisServer node, String... args) {
		try (Jedis jedis = new Jedis(node.hostAndPort(), DefaultJedisClientConfig.builder().timeoutMillis(5000).build())) {
			Object reply = jedis.sendCommand(() -> SafeEncoder.encode(args[0]), Arrays.copyOfRange(args, 1, args.length));
			return (reply instanceof byte[] bytes) ? SafeEncoder.encode(bytes) : reply;
		}
	}

	static void await(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				if (condition.getAsBoolean()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				// A node still starting or failing over: look again.
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for " + what, ex);
			}
		}
		throw new IllegalStateException("Timed out after " + FORM_TIMEOUT.toSeconds() + " s waiting for " + what);
	}

}
