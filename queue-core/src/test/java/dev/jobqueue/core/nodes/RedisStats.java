package dev.jobqueue.core.nodes;

import java.util.HashMap;
import java.util.Map;

import redis.clients.jedis.UnifiedJedis;

/** Command counts from {@code INFO commandstats}, to measure round trips per operation. */
public final class RedisStats {

	private RedisStats() {
	}

	public static Map<String, Long> calls(UnifiedJedis redis) {
		Map<String, Long> calls = new HashMap<>();
		for (String line : redis.info("commandstats").split("\r?\n")) {
			if (line.startsWith("cmdstat_")) {
				String command = line.substring("cmdstat_".length(), line.indexOf(':'));
				calls.put(command, Long.parseLong(line.replaceAll("^[^:]+:calls=(\\d+),.*", "$1")));
			}
		}
		return calls;
	}

	public static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
		return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
	}

}
