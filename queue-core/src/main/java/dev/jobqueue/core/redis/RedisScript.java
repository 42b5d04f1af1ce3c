package dev.jobqueue.core.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script kept as a {@code .lua} resource beside the class that runs it, called with
 * {@code EVALSHA} and sent in full only when Redis answers {@code NOSCRIPT} (after a restart or a
 * {@code SCRIPT FLUSH}). A line {@code -- @include name} is replaced by the resource {@code name.lua}
 * of the same folder, so scripts can share a prelude. A header line {@code KEYS: jobs ready ...} (continued on
 * lines indented by six spaces) declares the keys the script takes, by name and in order: the script then gets
 * a local {@code K_JOBS} per name, and {@code KEY_BASE}, the number of declared keys, after which any further
 * keys follow. Immutable and thread-safe.
 */
public final class RedisScript {

	private static final String INCLUDE = "-- @include ";

	private final String name;

	private final String source;

	private final String sha1;

	private final List<String> keyNames;

	private RedisScript(String name, String source, List<String> keyNames) {
		this.name = name;
		this.source = source;
		this.sha1 = sha1(source);
		this.keyNames = List.copyOf(keyNames);
	}

	/** Loads {@code <name>.lua} from {@code owner}'s package. */
	public static RedisScript load(Class<?> owner, String name) {
		String source = read(owner, name);
		List<String> keyNames = keyNames(source);
		StringBuilder expanded = new StringBuilder(source.length() * 2);
		boolean declared = keyNames.isEmpty();
		boolean inHeader = source.startsWith("#!") || source.startsWith("--[[");
		for (String line : source.split("\n", -1)) {
			if (line.startsWith(INCLUDE) || (!inHeader && !declared)) {
				if (!declared) {
					expanded.append(keyLocals(keyNames));
					declared = true;
				}
			}
			if (line.startsWith(INCLUDE)) {
				expanded.append(read(owner, line.substring(INCLUDE.length()).trim()));
			}
			else {
				expanded.append(line);
			}
			expanded.append('\n');
			if (inHeader && line.contains("]]")) {
				inHeader = false;
			}
		}
		return new RedisScript(name, expanded.toString(), keyNames);
	}

	/** The names after {@code KEYS:} in the header, and on the following lines indented by six spaces. */
	static List<String> keyNames(String source) {
		List<String> names = new ArrayList<>();
		boolean inKeys = false;
		for (String line : source.split("\n")) {
			if (line.startsWith("KEYS:")) {
				inKeys = true;
				line = line.substring(5);
			}
			else if (!inKeys || !line.startsWith("      ")) {
				if (inKeys) {
					break;
				}
				continue;
			}
			for (String name : line.trim().split("\\s+")) {
				if (!name.matches("[a-z][a-z0-9_]*")) {
					throw new IllegalStateException("Key name '" + name + "' in a KEYS header is not a lower-case word");
				}
				names.add(name);
			}
		}
		return names;
	}

	private static String keyLocals(List<String> names) {
		StringBuilder locals = new StringBuilder();
		for (int i = 0; i < names.size(); i++) {
			locals.append("local K_").append(names.get(i).toUpperCase(Locale.ROOT)).append(" = KEYS[").append(i + 1)
				.append("]\n");
		}
		return locals.append("local KEY_BASE = ").append(names.size()).append('\n').toString();
	}

	/** The keys the header declares, by name, in the order the script takes them. */
	public List<String> keyNames() {
		return this.keyNames;
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
