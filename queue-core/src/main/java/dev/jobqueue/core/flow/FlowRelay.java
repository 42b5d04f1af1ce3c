package dev.jobqueue.core.flow;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.jobqueue.core.queue.QueueKeys;
import dev.jobqueue.core.queue.RedisJobStore;
import dev.jobqueue.core.redis.RedisScript;
import dev.jobqueue.core.shard.ShardLayouts;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Carries what a store owes other queues' stores (its {@code relay} hash, written by the script that decided it):
 * jobs of its flows to enqueue on other queues ({@code o:<id>}) or to cancel there ({@code x:<id>}, once their flow
 * ended early), and outcomes and revivals of other queues' flows' jobs held here. Each entry is applied by a script
 * on the other store (an enqueue under the job's deterministic id, a cancel that also stores a job not created yet
 * as cancelled, or {@code flow_relay.lua}, which marks per job what it applied), then deleted if unchanged: a crash
 * in between relays it again and the other store refuses it, so the effect is exactly once. No script touches two
 * stores, so this works alike on one Redis and on Redis Cluster. A sharded queue is reached through its recorded
 * layout ({@link ShardLayouts}). Run by every worker's maintenance thread for the stores it serves; safe to run
 * from several workers at once.
 */
public final class FlowRelay {

	static final RedisScript APPLY = RedisScript.load(RedisJobStore.class, "flow_relay");

	static final RedisScript DONE = RedisScript.load(RedisJobStore.class, "relay_done");

	/** Separates the home queue from the flow's ref in a remote job's parent. */
	static final String HOME_SEPARATOR = "\u001f";

	private static final int PAGE = 100;

	private FlowRelay() {
	}

	/**
	 * Applies and deletes up to a few pages of {@code store}'s relay entries; returns how many were applied. What the
	 * outcomes applied on their flows' home stores put in those stores' relays (a chain's next step on a third
	 * queue, the cancels of a batch that failed) is carried at once too, rather than at the home workers' next run.
	 */
	public static int relay(RedisJobStore store) {
		Set<String> homes = new HashSet<>();
		int applied = relay(store, homes);
		for (String home : homes) {
			relay(other(store, home), new HashSet<>());
		}
		return applied;
	}

	private static int relay(RedisJobStore store, Set<String> homes) {
		String key = store.keys().key("relay");
		Map<String, List<String>> shards = new HashMap<>();
		int applied = 0;
		String cursor = ScanParams.SCAN_POINTER_START;
		do {
			ScanResult<Map.Entry<String, String>> page = store.redis().hscan(key, cursor, new ScanParams().count(PAGE));
			for (Map.Entry<String, String> entry : page.getResult()) {
				apply(store, entry.getKey(), entry.getValue(), shards, homes);
				store.execute(DONE, List.of(), List.of(entry.getKey(), entry.getValue()));
				applied++;
			}
			cursor = page.getCursor();
		}
		while (!cursor.equals(ScanParams.SCAN_POINTER_START) && applied < 10 * PAGE);
		return applied;
	}

	private static void apply(RedisJobStore store, String field, String value, Map<String, List<String>> shards,
			Set<String> homes) {
		if (field.startsWith("o:")) {
			String[] parts = value.split("\t", 5);
			String parent = parts[0].isEmpty() ? "" : "r" + store.queue() + HOME_SEPARATOR + parts[0];
			String id = field.substring(2);
			target(store, parts[1], id, shards).execute(Flows.DISPATCH, List.of(),
					List.of("1", "job", id, parts[4], parts[2], parts[3], parent, ""));
		}
		else if (field.startsWith("x:")) {
			String[] parts = value.split("\t", 2);
			String id = field.substring(2);
			target(store, parts[0], id, shards).execute(Flows.DISPATCH, List.of(), List.of("1", "cancel", id, parts[1]));
		}
		else {
			String[] parts = value.split("\t", 3);
			int separator = parts[1].indexOf(HOME_SEPARATOR);
			homes.add(parts[1].substring(0, separator));
			other(store, parts[1].substring(0, separator)).execute(APPLY, List.of(),
					List.of(field, parts[0], parts[1].substring(separator + 1), parts[2]));
		}
	}

	/** The store of {@code queue} that holds job {@code id}: its shard by the id's hash when the queue is sharded. */
	private static RedisJobStore target(RedisJobStore store, String queue, String id, Map<String, List<String>> shards) {
		String prefix = store.keys().prefix();
		List<String> tags = shards.computeIfAbsent(queue, (name) -> ShardLayouts.recorded(store.redis(), prefix, name));
		if (tags.isEmpty()) {
			return other(store, queue);
		}
		return new RedisJobStore(store.redis(), QueueKeys.of(prefix, queue, ShardLayouts.tagOf(tags, id)), store.options());
	}

	private static RedisJobStore other(RedisJobStore store, String queue) {
		return new RedisJobStore(store.redis(), QueueKeys.of(store.keys().prefix(), queue), store.options());
	}

}
