package dev.jobqueue.core.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.jobqueue.core.redis.RedisScript;
import redis.clients.jedis.UnifiedJedis;

/**
 * Processed and failed attempts per queue and minute over the last hour, kept in Redis as one hash
 * of 60 slots per queue (a ring indexed by minute, stamped by Redis's clock), so its size is bounded
 * whatever the throughput; the hash expires two hours after the last write. Thread-safe.
 */
public final class ThroughputCounters {

	/** Minutes kept and returned. */
	public static final int MINUTES = 60;

	private static final RedisScript ADD = RedisScript.load(ThroughputCounters.class, "throughput_add");

	private static final RedisScript READ = RedisScript.load(ThroughputCounters.class, "throughput_read");

	private final UnifiedJedis redis;

	private final String keyPrefix;

	public ThroughputCounters(UnifiedJedis redis, String keyPrefix) {
		this.redis = redis;
		this.keyPrefix = keyPrefix;
	}

	/** Adds to the current minute's counts of {@code queue}; one round trip. */
	public void add(String queue, long processed, long failed) {
		if (processed < 0 || failed < 0) {
			throw new IllegalArgumentException("Counts must be zero or positive");
		}
		ADD.run(this.redis, List.of(key(queue)), List.of(String.valueOf(processed), String.valueOf(failed),
				String.valueOf(MINUTES)));
	}

	/** The last {@value #MINUTES} minutes of {@code queue}, oldest first, the current minute last; zeros where nothing ran. */
	public List<MinuteCount> lastHour(String queue) {
		List<?> reply = (List<?>) READ.run(this.redis, List.of(key(queue)), List.of());
		long now = Long.parseLong(String.valueOf(reply.get(0)));
		Map<Long, long[]> stored = new HashMap<>();
		for (int i = 1; i < reply.size(); i += 2) {
			String[] parts = String.valueOf(reply.get(i + 1)).split(" ");
			if (parts.length == 3) {
				try {
					stored.put(Long.parseLong(parts[0]), new long[] { Long.parseLong(parts[1]), Long.parseLong(parts[2]) });
				}
				catch (NumberFormatException ex) {
					// A slot written by something else: counted as empty.
				}
			}
		}
		List<MinuteCount> minutes = new ArrayList<>(MINUTES);
		for (long minute = now - MINUTES + 1; minute <= now; minute++) {
			long[] counts = stored.getOrDefault(minute, new long[2]);
			minutes.add(new MinuteCount(Instant.ofEpochSecond(minute * 60), counts[0], counts[1]));
		}
		return minutes;
	}

	private String key(String queue) {
		return MonitorKeys.ofQueue(this.keyPrefix, queue, "throughput");
	}

}
