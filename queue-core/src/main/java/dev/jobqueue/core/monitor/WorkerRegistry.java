package dev.jobqueue.core.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.jobqueue.core.redis.RedisScript;
import redis.clients.jedis.UnifiedJedis;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The workers alive now and the queues ever worked on, in Redis: a worker {@linkplain #heartbeat
 * reports} itself every few seconds with a time to live, and an entry not refreshed within it counts
 * as gone (a crashed worker disappears on its own; expiry judged by Redis's clock). Reading is bounded
 * to {@value #MAX_WORKERS} workers and as many queues. Thread-safe.
 */
public final class WorkerRegistry {

	/** Most workers and queue names read back. */
	public static final int MAX_WORKERS = 1000;

	private static final RedisScript HEARTBEAT = RedisScript.load(WorkerRegistry.class, "registry_heartbeat");

	private static final RedisScript REMOVE = RedisScript.load(WorkerRegistry.class, "registry_remove");

	private static final RedisScript READ = RedisScript.load(WorkerRegistry.class, "registry_read");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final UnifiedJedis redis;

	private final List<String> keys;

	public WorkerRegistry(UnifiedJedis redis, String keyPrefix) {
		this.redis = redis;
		this.keys = List.of(MonitorKeys.ofRegistry(keyPrefix, "workers"), MonitorKeys.ofRegistry(keyPrefix, "worker-info"),
				MonitorKeys.ofRegistry(keyPrefix, "worker-seen"), MonitorKeys.ofRegistry(keyPrefix, "queues"));
	}

	/** Records that the worker is alive for {@code ttl} more, with what it says now, and its queues as known. */
	public void heartbeat(WorkerInfo worker, Duration ttl) {
		List<String> args = new ArrayList<>(3 + worker.queues().size());
		args.add(worker.id());
		args.add(toJson(worker));
		args.add(String.valueOf(ttl.toMillis()));
		args.addAll(worker.queues());
		HEARTBEAT.run(this.redis, this.keys, args);
	}

	/** Removes a worker that stops. */
	public void remove(String workerId) {
		REMOVE.run(this.redis, this.keys, List.of(workerId));
	}

	/** Records queue names as known without a worker (e.g. the queues an application dispatches to). */
	public void addQueues(Collection<String> queues) {
		if (!queues.isEmpty()) {
			this.redis.sadd(this.keys.get(3), queues.toArray(String[]::new));
		}
	}

	/** The queues any worker ever reported or {@link #addQueues} recorded, sorted by name. */
	public List<String> knownQueues() {
		return this.redis.srandmember(this.keys.get(3), MAX_WORKERS).stream().distinct().sorted().toList();
	}

	/** The workers whose last heartbeat has not expired, oldest heartbeat first. */
	public List<RegisteredWorker> workers() {
		List<?> reply = (List<?>) READ.run(this.redis, this.keys, List.of(String.valueOf(MAX_WORKERS)));
		long now = Long.parseLong(String.valueOf(reply.get(0)));
		List<RegisteredWorker> workers = new ArrayList<>((reply.size() - 1) / 3);
		for (int i = 1; i + 2 < reply.size(); i += 3) {
			String id = (String) reply.get(i);
			Object json = reply.get(i + 1);
			long seen = (reply.get(i + 2) != null) ? Long.parseLong(String.valueOf(reply.get(i + 2))) : now;
			workers.add(new RegisteredWorker(fromJson(id, (json != null) ? (String) json : null), Instant.ofEpochMilli(seen),
					Duration.ofMillis(Math.max(0, now - seen))));
		}
		return workers;
	}

	private static String toJson(WorkerInfo worker) {
		ObjectNode node = JSON.createObjectNode();
		node.put("host", worker.host());
		node.put("pid", worker.pid());
		ArrayNode queues = node.putArray("queues");
		worker.queues().forEach(queues::add);
		node.put("concurrency", worker.concurrency());
		node.put("busy", worker.busy());
		if (worker.startedAt() != null) {
			node.put("startedAt", worker.startedAt().toEpochMilli());
		}
		node.put("version", worker.version());
		return node.toString();
	}

	/** Reads an entry field by field, so a damaged or foreign entry shows what it can instead of failing the list. */
	private static WorkerInfo fromJson(String id, String json) {
		JsonNode node;
		try {
			node = (json != null) ? JSON.readTree(json) : JSON.createObjectNode();
		}
		catch (JacksonException ex) {
			node = JSON.createObjectNode();
		}
		List<String> queues = new ArrayList<>();
		if (node.get("queues") instanceof ArrayNode array) {
			array.forEach((queue) -> queues.add(queue.asString()));
		}
		JsonNode started = node.get("startedAt");
		return new WorkerInfo(id, text(node, "host"), node.path("pid").asLong(0), queues,
				node.path("concurrency").asInt(0), node.path("busy").asInt(0),
				(started != null && started.isNumber()) ? Instant.ofEpochMilli(started.asLong()) : null,
				text(node, "version"));
	}

	private static String text(JsonNode node, String name) {
		JsonNode value = node.get(name);
		return (value != null && value.isString()) ? value.asString() : null;
	}

}
