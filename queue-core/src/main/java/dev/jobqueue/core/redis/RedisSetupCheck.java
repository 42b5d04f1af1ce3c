package dev.jobqueue.core.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * Checks the Redis settings a job queue depends on: an eviction policy other than
 * {@code noeviction} lets Redis delete queued jobs under memory pressure, and without persistence a
 * restart loses them all. Findings are logged once per client, as warnings or, when strict, thrown.
 */
public final class RedisSetupCheck {

	private static final Logger logger = LoggerFactory.getLogger(RedisSetupCheck.class);

	private static final Set<UnifiedJedis> checked = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));

	private RedisSetupCheck() {
	}

	/** The problems found in this Redis's settings, in plain words; empty when all is well. */
	public static List<String> inspect(UnifiedJedis redis) {
		List<String> problems = new ArrayList<>();
		Map<String, String> memory = InfoSection.parse(redis.info("memory"));
		String policy = memory.get("maxmemory_policy");
		// Some managed services hide the policy (empty or absent): nothing to say then.
		if (policy != null && !policy.isEmpty() && !"noeviction".equals(policy)) {
			problems.add("Redis maxmemory-policy is '" + policy + "': under memory pressure Redis will evict keys and "
					+ "lose queued jobs. Set maxmemory-policy to noeviction.");
		}
		Map<String, String> persistence = InfoSection.parse(redis.info("persistence"));
		if ("0".equals(persistence.get("aof_enabled")) && "".equals(snapshotSchedule(redis))) {
			problems.add("Redis persistence is off (no AOF, no RDB snapshots): a restart loses every queued job. "
					+ "Enable appendonly (appendfsync everysec) for a job queue.");
		}
		return problems;
	}

	/** The {@code save} setting, or {@code null} when CONFIG is not allowed (managed services often refuse it). */
	private static String snapshotSchedule(UnifiedJedis redis) {
		try {
			Object reply = redis.sendCommand(Protocol.Command.CONFIG, "GET", "save");
			if (reply instanceof List<?> values && values.size() == 2 && values.get(1) instanceof byte[] value) {
				return new String(value, StandardCharsets.UTF_8);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("CONFIG GET save refused: {}", ex.getMessage());
		}
		return null;
	}

	/** Logs the problems the first time a client is checked; with {@code strict}, throws instead. */
	public static void checkOnce(UnifiedJedis redis, boolean strict) {
		if (!checked.add(redis)) {
			return;
		}
		List<String> problems;
		try {
			problems = inspect(redis);
		}
		catch (RuntimeException ex) {
			checked.remove(redis);
			logger.warn("Could not check the Redis settings: {}", ex.getMessage());
			return;
		}
		if (strict && !problems.isEmpty()) {
			checked.remove(redis);
			throw new IllegalStateException(String.join(" ", problems));
		}
		problems.forEach(logger::warn);
	}

	/** {@code INFO} output as name-value pairs. */
	static final class InfoSection {

		private InfoSection() {
		}

		static Map<String, String> parse(String info) {
			Map<String, String> values = new java.util.HashMap<>();
			for (String line : info.split("\r?\n")) {
				int colon = line.indexOf(':');
				if (colon > 0 && !line.startsWith("#")) {
					values.put(line.substring(0, colon), line.substring(colon + 1).trim());
				}
			}
			return values;
		}

	}

}
