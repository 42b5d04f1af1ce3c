package dev.jobqueue.core.queue;

import java.util.List;

/**
 * The Redis keys of one queue: {@code <prefix>:{<queue>}:<part>}. The braces are a hash tag, so every
 * key of a queue lands in one Redis Cluster slot and a script may touch them together. Every script
 * receives {@link #all()} in this order; {@code common.lua} names them.
 */
public final class QueueKeys {

	static final List<String> PARTS = List.of("jobs", "ready", "prio", "scheduled", "retry", "active", "leases",
			"attempts", "failures", "stalls", "priorities", "errors", "results", "progress", "completed", "cancelled",
			"dead", "seq", "token", "wake");

	private final String queue;

	private final List<String> all;

	private QueueKeys(String prefix, String queue) {
		this.queue = queue;
		String base = prefix + ":{" + queue + "}:";
		this.all = PARTS.stream().map((part) -> base + part).toList();
	}

	public static QueueKeys of(String prefix, String queue) {
		check(prefix, "key prefix");
		check(queue, "queue name");
		return new QueueKeys(prefix, queue);
	}

	public String queue() {
		return this.queue;
	}

	/** All keys, in the order the scripts expect. */
	public List<String> all() {
		return this.all;
	}

	/** The list idle workers block on. */
	public String wake() {
		return this.all.get(PARTS.indexOf("wake"));
	}

	public String key(String part) {
		int index = PARTS.indexOf(part);
		if (index < 0) {
			throw new IllegalArgumentException("No key part '" + part + "'");
		}
		return this.all.get(index);
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
