package dev.jobqueue.core.shard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.SafeEncoder;

import dev.jobqueue.core.queue.QueueKeys;
import dev.jobqueue.core.redis.RedisScript;

/**
 * Where the partitions of a sharded queue live on a Redis Cluster. A partition is a hash tag {@code name#j};
 * Redis puts a tag's slot wherever its CRC16 falls, so tags are chosen, once, to spread the partitions over
 * the masters: each new partition takes the first unused {@code name#j} whose slot a master with the fewest
 * partitions serves. The chosen tags are recorded in the cluster ({@code <prefix>:{name}:partitions}), so
 * every client agrees and a later re-layout of slots never renames a partition (its keys move with its slot).
 * Growing appends tags, keeping the old ones; shrinking is refused, since it would strand jobs.
 */
final class ClusterPartitions {

	private static final int SLOTS = 16384;

	private static final RedisScript RECORD = RedisScript.load(ClusterPartitions.class, "partitions");

	private ClusterPartitions() {
	}

	static List<String> tags(RedisClusterClient cluster, String prefix, String name, int count) {
		String key = QueueKeys.of(prefix, name).custom("partitions");
		for (int attempt = 0; attempt < 5; attempt++) {
			String recorded = cluster.get(key);
			List<String> tags = (recorded == null || recorded.isEmpty()) ? new ArrayList<>()
					: new ArrayList<>(Arrays.asList(recorded.split(",")));
			if (tags.size() > count) {
				throw new IllegalStateException("Queue '" + name + "' has " + tags.size() + " partitions on this cluster ("
						+ key + "); fewer would strand the jobs of the others: configure " + tags.size() + " shards");
			}
			if (tags.size() == count) {
				return tags;
			}
			place(tags, name, count, mastersBySlot(cluster));
			String wanted = String.join(",", tags);
			Object now = RECORD.run(cluster, List.of(key), List.of((recorded != null) ? recorded : "", wanted));
			if (wanted.equals(now)) {
				return tags;
			}
		}
		throw new IllegalStateException("Could not record the partitions of queue '" + name + "': other clients keep "
				+ "changing them");
	}

	/** Adds tags until there are {@code count}, each on a master with the fewest partitions. */
	static void place(List<String> tags, String name, int count, String[] masterOfSlot) {
		Map<String, Integer> load = new HashMap<>();
		for (String master : masterOfSlot) {
			if (master != null) {
				load.putIfAbsent(master, 0);
			}
		}
		Set<String> used = new LinkedHashSet<>(tags);
		for (String tag : tags) {
			load.merge(masterOfSlot[JedisClusterCRC16.getSlot(tag)], 1, Integer::sum);
		}
		while (tags.size() < count) {
			int least = load.values().stream().min(Integer::compare).orElse(0);
			for (int j = 0;; j++) {
				String tag = name + "#" + j;
				String master = masterOfSlot[JedisClusterCRC16.getSlot(tag)];
				// Past a few thousand tries no master with the fewest partitions was hit: take any free tag.
				if (!used.contains(tag) && (master == null || load.get(master) == least || j > 5_000)) {
					tags.add(tag);
					used.add(tag);
					if (master != null) {
						load.merge(master, 1, Integer::sum);
					}
					break;
				}
			}
		}
	}

	/** The master ({@code host:port}) serving each slot, from {@code CLUSTER SLOTS} of any reachable node. */
	static String[] mastersBySlot(RedisClusterClient cluster) {
		RuntimeException failure = null;
		for (ConnectionPool pool : cluster.getClusterNodes().values()) {
			try (Connection connection = pool.getResource()) {
				String[] masters = new String[SLOTS];
				for (Object range : new Jedis(connection).clusterSlots()) {
					List<?> entry = (List<?>) range;
					List<?> master = (List<?>) entry.get(2);
					String address = SafeEncoder.encode((byte[]) master.get(0)) + ":" + master.get(1);
					Arrays.fill(masters, (int) (long) (Long) entry.get(0), (int) (long) (Long) entry.get(1) + 1, address);
				}
				return masters;
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
		}
		throw (failure != null) ? failure : new IllegalStateException("The cluster client knows no node");
	}

}
