package dev.jobqueue.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobIds;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.Retention;
import dev.jobqueue.core.shard.ShardStrategy;
import dev.jobqueue.core.shard.ShardedQueue;
import dev.jobqueue.core.worker.JobExecutionListener;
import dev.jobqueue.core.worker.Worker;

/**
 * One queue over 1, 2, ... N partitions: on a Redis Cluster (partitions spread over its masters) or on as many
 * standalone servers. For each, N jobs are enqueued in bulk (round-robin, so every partition gets its share)
 * and drained by one worker; prints {@code process_per_s}, the Redis CPU time per job summed over every server
 * ({@code INFO cpu}, user + sys, before and after) and each server's share of it.
 */
final class ShardScaling {

	private static final int BULK = 1_000;

	private final BenchmarkOptions options;

	ShardScaling(BenchmarkOptions options) {
		this.options = options;
	}

	/** On a cluster: {@code servers} are its masters, measured for CPU; one client serves every partition. */
	void onCluster(RedisClusterClient cluster, List<RedisClient> masters, Consumer<JsonLine> out) throws Exception {
		for (int partitions = 1; partitions <= this.options.shards(); partitions++) {
			String name = "shardbench-" + JobIds.next().substring(14);
			ShardedQueue queue = ShardedQueue.onCluster(cluster, name, partitions, options(), ShardStrategy.ROUND_ROBIN);
			try {
				measure("cluster", queue, masters, partitions, out);
			}
			finally {
				queue.close();
				for (RedisJobQueue shard : queue.shards()) {
					cluster.del(shard.keys().all().toArray(String[]::new));
				}
				cluster.del(queue.shards().get(0).keys().prefix() + ":{" + name + "}:partitions");
			}
		}
	}

	/** On standalone servers: partition i on server i. */
	void onServers(List<RedisClient> servers, Consumer<JsonLine> out) throws Exception {
		for (int partitions = 1; partitions <= Math.min(this.options.shards(), servers.size()); partitions++) {
			List<RedisClient> used = servers.subList(0, partitions);
			ShardedQueue queue = ShardedQueue.onServers(used, "shardbench-" + JobIds.next().substring(14), options(),
					ShardStrategy.ROUND_ROBIN);
			try {
				measure("servers", queue, used, partitions, out);
			}
			finally {
				queue.close();
				for (RedisJobQueue shard : queue.shards()) {
					shard.redis().del(shard.keys().all().toArray(String[]::new));
				}
			}
		}
	}

	private void measure(String target, ShardedQueue queue, List<RedisClient> servers, int partitions,
			Consumer<JsonLine> out) throws Exception {
		int n = this.options.jobs();
		// Warm-up, unreported: the JIT, the scripts' first load on each server.
		run(queue, Math.min(n, 5_000));
		double[] before = cpu(servers);
		double seconds = run(queue, n);
		double[] after = cpu(servers);
		double total = 0;
		List<Double> shares = new ArrayList<>();
		for (int i = 0; i < servers.size(); i++) {
			total += after[i] - before[i];
		}
		for (int i = 0; i < servers.size(); i++) {
			shares.add(Math.round((after[i] - before[i]) / total * 1000) / 1000.0);
		}
		out.accept(new JsonLine("jobqueue").put("measurement", "shards").put("target", target)
			.put("partitions", partitions).put("N", n).put("C", this.options.concurrency())
			.put("process_per_s", Math.round(n / seconds))
			.put("redis_cpu_us_per_job", Math.round(total * 1e6 / n * 10) / 10.0)
			.put("cpu_share_per_server", shares));
	}

	/** Enqueues {@code n} jobs and drains them; returns the seconds the draining took. */
	private double run(ShardedQueue queue, int n) throws InterruptedException {
		List<Job> jobs = new ArrayList<>(BULK);
		for (int from = 0; from < n; from += BULK) {
			jobs.clear();
			for (int i = from; i < Math.min(n, from + BULK); i++) {
				jobs.add(Job.of("noop", new Measurements.NoOp(i)));
			}
			queue.enqueueAll(jobs);
		}
		CountDownLatch done = new CountDownLatch(n);
		Worker worker = Worker.builderForStores(queue.stores()).rotateStores(true).concurrency(this.options.concurrency())
			.listener(new JobExecutionListener() {
				@Override
				public void onCompleted(LeasedJob job, Duration took) {
					done.countDown();
				}
			})
			.handle("noop", Measurements.NoOp.class, (noOp, ctx) -> {
			})
			.build();
		long start = System.nanoTime();
		worker.start();
		done.await();
		double seconds = (System.nanoTime() - start) / 1e9;
		worker.stop(Duration.ofSeconds(10));
		return seconds;
	}

	private static QueueOptions options() {
		return QueueOptions.defaults().withCompletedRetention(Retention.NONE);
	}

	/** Seconds of CPU (user + sys) each server's process used so far. */
	private static double[] cpu(List<? extends UnifiedJedis> servers) {
		double[] seconds = new double[servers.size()];
		for (int i = 0; i < servers.size(); i++) {
			for (String line : servers.get(i).info("cpu").split("\r?\n")) {
				if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
					seconds[i] += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
				}
			}
		}
		return seconds;
	}

	/** A client per master of {@code cluster}, for reading their {@code INFO cpu}. */
	static List<RedisClient> masters(RedisClusterClient cluster) {
		List<RedisClient> masters = new ArrayList<>();
		for (Map.Entry<String, ConnectionPool> node : cluster.getClusterNodes().entrySet()) {
			try (Connection connection = node.getValue().getResource()) {
				if (new Jedis(connection).info("replication").contains("role:master")) {
					String[] hostAndPort = node.getKey().split(":");
					masters.add(RedisClient.create(hostAndPort[0], Integer.parseInt(hostAndPort[1])));
				}
			}
		}
		return masters;
	}

}
