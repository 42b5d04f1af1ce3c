package dev.jobqueue.core.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script kept as a {@code .lua} resource beside the class that runs it, called with
 * {@code EVALSHA} and sent in full only when Redis answers {@code NOSCRIPT} (after a restart or a
 * {@code SCRIPT FLUSH}). A line {@code -- @include name} is replaced by the resource {@code name.lua}
 * of the same folder, so scripts can share a prelude. Immutable and thread-safe.
 */
public final class RedisScript {

	private static final String INCLUDE = "-- @include ";

	private final String name;

	private final String source;

	private final String sha1;

	private RedisScript(String name, String source) {
		this.name = name;
		this.source = source;
		this.sha1 = sha1(source);
	}

	/** Loads {@code <name>.lua} from {@code owner}'s package. */
	public static RedisScript load(Class<?> owner, String name) {
		String source = read(owner, name);
		StringBuilder expanded = new StringBuilder(source.length() * 2);
		for (String line : source.split("\n", -1)) {
			if (line.startsWith(INCLUDE)) {
				expanded.append(read(owner, line.substring(INCLUDE.length()).trim()));
			}
			else {
				expanded.append(line);
			}
			expanded.append('\n');
		}
		return new RedisScript(name, expanded.toString());
	}

	public String name() {
		return this.name;
	}

	public String source() {
		return this.source;
	}

	public String sha1() {
		return this.sha1;
	}

	/** Runs the script; the reply is decoded as Jedis does for {@code EVAL} (strings, longs, lists, nulls). */
	public Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
		try {
			return redis.evalsha(this.sha1, keys, args);
		}
		catch (JedisNoScriptException ex) {
			return redis.eval(this.source, keys, args);
		}
	}

	@Override
	public String toString() {
		return this.name + ".lua";
	}

	private static String read(Class<?> owner, String name) {
		String resource = name + ".lua";
		try (InputStream in = owner.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("No script " + resource + " beside " + owner.getName());
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + resource, ex);
		}
	}

	private static String sha1(String source) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
