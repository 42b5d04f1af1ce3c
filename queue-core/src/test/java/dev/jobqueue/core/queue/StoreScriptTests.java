package dev.jobqueue.core.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.jobqueue.core.redis.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;

/** Every script's header names exactly the keys its body (and the shared functions it calls) uses. */
class StoreScriptTests {

	private static final List<String> SCRIPTS = List.of("enqueue", "lease", "settle", "extend", "reap", "cancel",
			"inspect", "stats", "peek", "progress", "trim", "purge", "revive", "dead_letters");

	private static final Pattern KEY = Pattern.compile("\\bK_([A-Z_]+)\\b");

	private static final Pattern CALL = Pattern.compile("\\b([a-z_]+)\\(");

	@Test
	void eachHeaderListsTheKeysItsScriptUsesAndNoOthers() throws IOException {
		Map<String, String> functions = functions(read("common"));
		for (String name : SCRIPTS) {
			String body = read(name);
			body = body.substring(body.indexOf("]]") + 2).replace("-- @include common", "");
			Set<String> used = keysUsed(body, functions, new TreeSet<>());
			Set<String> declared = new TreeSet<>(RedisScript.load(RedisJobStore.class, name).keyNames());
			assertThat(declared).as("keys declared by %s.lua", name).isEqualTo(used);
		}
	}

	@Test
	void everyDeclaredKeyIsAPartOfTheStore() {
		for (String name : SCRIPTS) {
			assertThat(RedisScript.load(RedisJobStore.class, name).keyNames()).as(name).isSubsetOf(QueueKeys.PARTS);
		}
	}

	/** The keys a piece of Lua uses, directly or through the shared functions it calls. */
	private static Set<String> keysUsed(String lua, Map<String, String> functions, Set<String> visited) {
		Set<String> keys = new TreeSet<>();
		Matcher key = KEY.matcher(lua);
		while (key.find()) {
			keys.add(key.group(1).toLowerCase());
		}
		Matcher call = CALL.matcher(lua);
		while (call.find()) {
			String function = call.group(1);
			if (functions.containsKey(function) && visited.add(function)) {
				keys.addAll(keysUsed(functions.get(function), functions, visited));
			}
		}
		return keys;
	}

	/** The top-level functions of common.lua, by name: from {@code local function} to the {@code end} at column 0. */
	private static Map<String, String> functions(String common) {
		Map<String, String> functions = new LinkedHashMap<>();
		Matcher start = Pattern.compile("(?m)^local function ([a-z_]+)\\(").matcher(common);
		while (start.find()) {
			int end = common.indexOf("\nend", start.end());
			functions.put(start.group(1), common.substring(start.end(), end));
		}
		return functions;
	}

	private static String read(String name) throws IOException {
		try (InputStream in = RedisJobStore.class.getResourceAsStream(name + ".lua")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
