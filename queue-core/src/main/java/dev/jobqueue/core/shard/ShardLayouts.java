package dev.jobqueue.core.shard;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.core.queue.QueueKeys;

/**
 * The shard tags of sharded queues, for code that routes a job into a queue it knows only by name (a flow's relay,
 * {@code dev.jobqueue.core.flow.FlowRelay}): the sharded queues this JVM built (each {@link ShardedQueue}
 * registers itself until closed) and the layouts recorded in Redis under {@code <prefix>:{<queue>}:partitions}
 * (by {@link ClusterPartitions} on a cluster; by a flow's dispatch for shards on one server). A job goes to the
 * shard its id hashes to, as a job with a caller-chosen id does, so it lands on the same shard however often it is
 * routed. Thread-safe.
 */
public final class ShardLayouts {

	private static final Map<String, ShardedQueue> BUILT = new ConcurrentHashMap<>();

	private static final Map<String, ConsistentHashRing> RINGS = new ConcurrentHashMap<>();

	private ShardLayouts() {
	}

	static void register(String prefix, ShardedQueue queue) {
		BUILT.put(prefix + "\t" + queue.name(), queue);
	}

	static void unregister(String prefix, ShardedQueue queue) {
		BUILT.remove(prefix + "\t" + queue.name(), queue);
	}

	/** The sharded queue {@code queue} under {@code prefix} that this JVM built and has not closed, if any. */
	public static Optional<ShardedQueue> built(String prefix, String queue) {
		return Optional.ofNullable(BUILT.get(prefix + "\t" + queue));
	}

	/** The key that records a sharded queue's tags, comma-separated, in the slot of its name. */
	public static String recordKey(String prefix, String queue) {
		return QueueKeys.of(prefix, queue).custom("partitions");
	}

	/** The tags recorded for {@code queue}; empty when none are (an unsharded queue, as far as Redis knows). */
	public static List<String> recorded(UnifiedJedis redis, String prefix, String queue) {
		String tags = redis.get(recordKey(prefix, queue));
		return (tags == null || tags.isEmpty()) ? List.of() : Arrays.asList(tags.split(","));
	}

	/** The tag of the shard job {@code id} belongs to among {@code tags}. */
	public static String tagOf(List<String> tags, String id) {
		ConsistentHashRing ring = RINGS.computeIfAbsent(String.join(",", tags), (key) -> new ConsistentHashRing(tags));
		return tags.get(ring.shardOf(id));
	}

}
