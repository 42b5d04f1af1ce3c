package dev.jobqueue.core.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.jobqueue.core.redis.RedisKeys;
import dev.jobqueue.core.redis.RedisScript;
import redis.clients.jedis.UnifiedJedis;

/**
 * Per job type, lets the first {@code firstN} alerts of each window through and counts the rest for one summary
 * per window. Counters live in Redis under {@code <prefix>:alerts:{dead-letters}}, so several JVMs share them;
 * windows follow Redis's clock. Thread-safe.
 */
final class FloodControl {

	private static final RedisScript ADMIT = RedisScript.load(FloodControl.class, "flood_admit");

	private static final RedisScript FLUSH = RedisScript.load(FloodControl.class, "flood_flush");

	/** Longer than any redelivery of an unacknowledged alert is expected to take. */
	private static final Duration REMEMBER = Duration.ofDays(1);

	private static final int WINDOWS_PER_FLUSH = 100;

	/** The decision for one alert, whether it was delivered before, and the alerters an earlier delivery reached. */
	record Admission(boolean send, boolean redelivered, List<String> reached) {
	}

	private final UnifiedJedis redis;

	private final RedisKeys keys;

	private final Duration window;

	private final int firstN;

	FloodControl(UnifiedJedis redis, String prefix, Duration window, int firstN) {
		this.redis = redis;
		this.keys = RedisKeys.of(prefix, "alerts", "dead-letters");
		this.window = RedisKeys.positive(window, "flood window");
		if (firstN < 0) {
			throw new IllegalArgumentException("The alerts sent one by one per window must be zero or more");
		}
		this.firstN = firstN;
	}

	Admission admit(DeadLetterAlert alert) {
		List<?> reply = (List<?>) ADMIT.run(this.redis,
				List.of(this.keys.key("counts"), this.keys.key("errors"), this.keys.key("due"), alertKey(alert)),
				List.of(alert.jobType(), AlertText.error(alert.error()), Long.toString(this.window.toMillis()),
						Integer.toString(this.firstN), Long.toString(REMEMBER.toMillis())));
		List<String> reached = new ArrayList<>();
		for (int i = 2; i < reply.size(); i++) {
			reached.add(String.valueOf(reply.get(i)));
		}
		return new Admission(RedisKeys.asLong(reply, 0) == 1, RedisKeys.asLong(reply, 1) == 1, reached);
	}

	/** Remembers that {@code alerter} has the alert, so a redelivery skips it. */
	void reached(DeadLetterAlert alert, String alerter) {
		this.redis.hset(alertKey(alert), alerter, "1");
	}

	/** Takes the ended windows that held alerts back; each is returned to one caller only, across all JVMs. */
	List<DeadLetterSummary> takeEndedWindows() {
		List<?> reply = (List<?>) FLUSH.run(this.redis,
				List.of(this.keys.key("counts"), this.keys.key("errors"), this.keys.key("due")),
				List.of(Integer.toString(this.firstN), Integer.toString(WINDOWS_PER_FLUSH)));
		List<DeadLetterSummary> summaries = new ArrayList<>();
		for (int i = 0; i + 2 < reply.size(); i += 3) {
			String field = String.valueOf(reply.get(i));
			int bar = field.lastIndexOf('|');
			Instant end = Instant.ofEpochMilli(Long.parseLong(field.substring(bar + 1)) + this.window.toMillis());
			summaries.add(new DeadLetterSummary(field.substring(0, bar), RedisKeys.asLong(reply, i + 1), this.window,
					end, String.valueOf(reply.get(i + 2))));
		}
		return summaries;
	}

	private String alertKey(DeadLetterAlert alert) {
		return this.keys.key("alert:" + alert.id());
	}

}
