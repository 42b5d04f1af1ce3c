package dev.jobqueue.core.queue;

import java.util.List;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.util.KeyValue;

import dev.jobqueue.core.redis.RedisScript;

/**
 * Runs a script and {@code WAIT}s for replicas on the same connection, in one pipeline: {@code WAIT} only
 * covers the writes of the connection it is sent on, so with a pooled client it must not travel on another
 * one. On Redis Cluster the pipeline goes to the master of the keys' slot. {@code WAITAOF} is added where the
 * server has it (7.2+) and the caller asked for fsync. Thread-safe.
 */
final class ReplicationWait {

	/** A script's reply and how many replicas confirmed the writes made so far on its connection. */
	record Waited(Object reply, long confirmed) {
	}

	private final UnifiedJedis redis;

	private volatile Boolean hasWaitAof;

	ReplicationWait(UnifiedJedis redis) {
		this.redis = redis;
	}

	Waited runAndWait(RedisScript script, List<String> keys, List<String> args, Durability durability) {
		String sample = keys.get(0);
		long timeout = durability.timeout().toMillis();
		boolean aof = durability.fsync() && hasWaitAof();
		for (int attempt = 1;; attempt++) {
			Response<Object> ran;
			Response<Long> waited;
			Response<KeyValue<Long, Long>> synced = null;
			try (AbstractPipeline pipeline = this.redis.pipelined()) {
				ran = pipeline.evalsha(script.sha1(), keys, args);
				waited = pipeline.waitReplicas(sample, durability.replicas(), timeout);
				if (aof) {
					synced = pipeline.waitAOF(sample, 0, durability.replicas(), timeout);
				}
			}
			try {
				Object reply = ran.get();
				long confirmed = waited.get();
				if (synced != null) {
					confirmed = Math.min(confirmed, synced.get().getValue());
				}
				return new Waited(reply, confirmed);
			}
			catch (JedisNoScriptException ex) {
				if (attempt > 2) {
					throw ex;
				}
				this.redis.scriptLoad(script.source(), sample);
			}
			catch (JedisRedirectionException ex) {
				if (attempt > 2) {
					throw ex;
				}
				// A pipeline does not follow MOVED; one plain command on the key renews the client's slot map.
				this.redis.exists(sample);
			}
		}
	}

	private boolean hasWaitAof() {
		Boolean known = this.hasWaitAof;
		if (known == null) {
			String info = this.redis.info("server");
			known = false;
			for (String line : info.split("\r?\n")) {
				if (line.startsWith("redis_version:")) {
					String[] parts = line.substring(14).trim().split("\\.");
					int major = Integer.parseInt(parts[0]);
					int minor = (parts.length > 1) ? Integer.parseInt(parts[1]) : 0;
					known = major > 7 || (major == 7 && minor >= 2);
				}
			}
			this.hasWaitAof = known;
		}
		return known;
	}

}
