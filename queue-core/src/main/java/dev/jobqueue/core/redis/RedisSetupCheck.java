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
 * Checks the Redis a job queue depends on: a version the scripts run on (7.0 or later, always enforced),
 * an eviction policy that never deletes queued jobs under memory pressure, and persistence so that a
 * restart loses nothing. Findings are logged once per client as warnings; when strict, a finding, or
 * settings that cannot be checked (Redis unreachable, {@code CONFIG} disabled), refuse the start.
 */
public final class RedisSetupCheck {

	private static final Logger logger = LoggerFactory.getLogger(RedisSetupCheck.class);

	private static final Set<UnifiedJedis> checked = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));

	private RedisSetupCheck() {
	}

	/** The oldest Redis the scripts run on: they use script flags and commands of 7.0. */
	public static final int MIN_MAJOR_VERSION = 7;

	/** The problems found in this Redis's settings, in plain words; empty when all is well. */
	public static List<String> inspect(UnifiedJedis redis) {
		List<String> problems = new ArrayList<>();
		String version = InfoSection.parse(redis.info("server")).get("redis_version");
		checkVersion(version);
		Map<String, String> memory = InfoSection.parse(redis.info("memory"));
		String policy = memory.get("maxmemory_policy");
		// Some managed services hide the policy (empty or absent): nothing to say then.
		if (policy != null && !policy.isEmpty() && !"noeviction".equals(policy)) {
			problems.add("Redis maxmemory-policy is '" + policy + "': under memory pressure Redis will evict keys and "
					+ "lose queued jobs. Set maxmemory-policy to noeviction.");
		}
		Map<String, String> persistence = InfoSection.parse(redis.info("persistence"));
		if ("0".equals(persistence.get("aof_enabled"))) {
			String save = snapshotSchedule(redis);
			if (save == null) {
				problems.add("Redis persistence cannot be checked: AOF is off and CONFIG is disabled (as on many managed "
						+ "services), so whether RDB snapshots are on is unknown. Make sure the service persists data.");
			}
			else if (save.isEmpty()) {
				problems.add("Redis persistence is off (no AOF, no RDB snapshots): a restart loses every queued job. "
						+ "Enable appendonly (appendfsync everysec) for a job queue.");
			}
		}
		return problems;
	}

	/** Refuses a Redis older than the scripts need, whatever the strictness. */
	static void checkVersion(String version) {
		if (version == null || version.isBlank()) {
			return;
		}
		int major;
		try {
			major = Integer.parseInt(version.split("\\.")[0].trim());
		}
		catch (NumberFormatException ex) {
			return;
		}
		if (major < MIN_MAJOR_VERSION) {
			throw new IllegalStateException("Redis " + version + " is too old for the job queue: its scripts need Redis "
					+ MIN_MAJOR_VERSION + ".0 or later");
		}
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
		catch (IllegalStateException ex) {
			checked.remove(redis);
			throw ex;
		}
		catch (RuntimeException ex) {
			checked.remove(redis);
			if (strict) {
				throw new IllegalStateException("Could not check the Redis settings the job queue depends on, and the check "
						+ "is strict (jobqueue.strict-redis-check / QueueOptions.strictRedisCheck): " + ex.getMessage(), ex);
			}
			logger.warn("Could not check the Redis settings: {}; they are checked again when the next queue is created",
					ex.getMessage());
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
