package dev.jobqueue.core.redis;

import java.time.Instant;
import java.util.List;

import redis.clients.jedis.UnifiedJedis;

/** Reads Redis's clock, the one clock every node agrees on (one round trip). */
public final class RedisClock {

	private static final String NOW = "local t = redis.call('TIME') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";

	private RedisClock() {
	}

	/** Redis's time now, in milliseconds. */
	public static Instant now(UnifiedJedis redis) {
		return Instant.ofEpochMilli(RedisKeys.asLong(redis.eval(NOW, List.of(), List.of())));
	}

}
