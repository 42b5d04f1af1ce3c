package dev.jobqueue.core.redis;

import java.time.Duration;
import java.util.List;

/**
 * Keys of a named coordination primitive: {@code <prefix>:<kind>:{<name>}[:<part>]}. The braces are a
 * hash tag, so all keys of one lock, semaphore, limiter, election or schedule share a Redis Cluster
 * slot and one script may touch them together. Immutable.
 */
public final class RedisKeys {

	private final String base;

	private final String name;

	private RedisKeys(String base, String name) {
		this.base = base;
		this.name = name;
	}

	/** The keys of the primitive {@code name} of {@code kind} (e.g. "lock") under {@code prefix}. */
	public static RedisKeys of(String prefix, String kind, String name) {
		check(prefix, "key prefix");
		check(kind, "key kind");
		check(name, kind + " name");
		return new RedisKeys(prefix + ":" + kind + ":{" + name + "}", name);
	}

	/** The name given at creation. */
	public String name() {
		return this.name;
	}

	/** The main key. */
	public String key() {
		return this.base;
	}

	/** The key {@code <main key>:<part>}. */
	public String key(String part) {
		return this.base + ":" + part;
	}

	/** Checks a name that becomes part of a key: 1 to 200 characters, no braces, spaces or control characters. */
	public static String check(String name, String what) {
		if (name == null || name.isEmpty() || name.length() > 200) {
			throw new IllegalArgumentException("A " + what + " must have 1 to 200 characters");
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c == '{' || c == '}' || Character.isWhitespace(c) || Character.isISOControl(c)) {
				throw new IllegalArgumentException(
						"A " + what + " must not contain braces, spaces or control characters: '" + name + "'");
			}
		}
		return name;
	}

	/** Checks that a duration is positive and at least a millisecond, as every lease and window must be. */
	public static Duration positive(Duration duration, String what) {
		if (duration == null || duration.toMillis() <= 0) {
			throw new IllegalArgumentException("A " + what + " must be at least 1 ms, not " + duration);
		}
		return duration;
	}

	/** A script reply as a number (Redis integers arrive as {@code Long}). */
	public static long asLong(Object reply) {
		return (reply instanceof Long number) ? number : Long.parseLong(String.valueOf(reply));
	}

	/** The element {@code index} of a script's array reply, as a number. */
	public static long asLong(List<?> reply, int index) {
		return asLong(reply.get(index));
	}

}
