package dev.jobqueue.core.queue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.jobqueue.core.redis.RedisScript;

/**
 * The Redis keys of one job store: {@code <prefix>:{<tag>}:<part>}. The braces are a hash tag, so every
 * key of a store lands in one Redis Cluster slot and a script may touch them together. A script declares
 * the parts it uses in its header ({@link RedisScript#keyNames()}); {@link #forScript} gives their keys in
 * that order. {@code common.lua} describes each part. Immutable and thread-safe.
 */
public final class QueueKeys {

	static final List<String> PARTS = List.of("jobs", "ready", "prio", "scheduled", "retry", "active", "leases",
			"attempts", "failures", "stalls", "priorities", "errors", "results", "progress", "completed", "cancelled",
			"skipped", "dead", "seq", "token", "wake", "stalled", "tombstones", "cancels", "reaped", "flows", "uniques",
			"batches", "chains", "ended", "paused", "cancelling", "relay", "events", "event_count", "history", "flow_index");

	private final String prefix;

	private final String queue;

	private final String tag;

	private final String base;

	private final Map<RedisScript, List<String>> byScript = new ConcurrentHashMap<>();

	private QueueKeys(String prefix, String queue, String tag) {
		this.prefix = prefix;
		this.queue = queue;
		this.tag = tag;
		this.base = prefix + ":{" + tag + "}:";
	}

	/** The keys of a queue held in one store, tagged with the queue's name. */
	public static QueueKeys of(String prefix, String queue) {
		return of(prefix, queue, queue);
	}

	/** The keys of one store of {@code queue} under its own tag, e.g. the shard {@code emails#3} of {@code emails}. */
	public static QueueKeys of(String prefix, String queue, String tag) {
		check(prefix, "key prefix");
		check(queue, "queue name");
		check(tag, "hash tag");
		return new QueueKeys(prefix, queue, tag);
	}

	public String prefix() {
		return this.prefix;
	}

	/** The hash tag every key of this store carries: the queue's name, or a shard's own tag. */
	public String tag() {
		return this.tag;
	}

	/** The name of the queue whose jobs the store holds. */
	public String queue() {
		return this.queue;
	}

	/** The key of one part, e.g. {@code key("dead")}. */
	public String key(String part) {
		if (!PARTS.contains(part)) {
			throw new IllegalArgumentException("No key part '" + part + "'");
		}
		return this.base + part;
	}

	/** A key of this store's slot for a feature's own data, e.g. {@code custom("batch:42")}. */
	public String custom(String name) {
		if (PARTS.contains(name) || name.startsWith("idem:")) {
			throw new IllegalArgumentException("'" + name + "' is a key of the queue itself");
		}
		return this.base + name;
	}

	/** The key that keeps a caller-chosen job id taken for the idempotency window. */
	public String idempotencyKey(String id) {
		return this.base + "idem:" + id;
	}

	/** The keys of every part, in {@link #PARTS} order (idempotency keys and features' own keys aside). */
	public List<String> all() {
		return PARTS.stream().map(this::key).toList();
	}

	/** The list idle workers block on. */
	public String wake() {
		return key("wake");
	}

	/** Whether {@code key} hashes to this store's slot: its first hash tag is this store's. */
	public boolean owns(String key) {
		int open = key.indexOf('{');
		int close = (open < 0) ? -1 : key.indexOf('}', open + 1);
		return close > open + 1 && key.substring(open + 1, close).equals(this.tag);
	}

	/** The keys a script declares, in its order. */
	public List<String> forScript(RedisScript script) {
		return this.byScript.computeIfAbsent(script, (s) -> s.keyNames().stream().map(this::key).toList());
	}

	private static void check(String name, String what) {
		if (name == null || name.isEmpty() || name.length() > 100) {
			throw new IllegalArgumentException("A " + what + " must have 1 to 100 characters");
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c == '{' || c == '}' || Character.isWhitespace(c) || Character.isISOControl(c)) {
				throw new IllegalArgumentException("A " + what + " must not contain braces, spaces or control "
						+ "characters: '" + name + "'");
			}
		}
	}

}
