package dev.jobqueue.core.lock;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.jobqueue.core.redis.RedisKeys;
import dev.jobqueue.core.redis.RedisScript;
import redis.clients.jedis.UnifiedJedis;

/**
 * The resource side of fencing, on Redis: a value per resource that a write replaces only if the
 * writer's fencing token is at least the highest token seen for that resource. A holder that lost its
 * lock during a pause and writes afterwards is refused, because the next holder's larger token came
 * first. The same rule in a database is {@code UPDATE t SET ..., fence = :token WHERE id = :id AND fence
 * <= :token} and treating "0 rows" as refused. Thread-safe; one round trip per call.
 */
public final class FencedStore {

	private static final RedisScript WRITE = RedisScript.load(FencedStore.class, "fenced_write");

	private final UnifiedJedis redis;

	private final String prefix;

	public FencedStore(UnifiedJedis redis, String prefix) {
		this.redis = redis;
		this.prefix = RedisKeys.check(prefix, "key prefix");
	}

	/** Writes {@code value} for {@code resource} unless a larger token has written; {@code true} when written. */
	public boolean write(String resource, long token, String value) {
		List<?> reply = (List<?>) WRITE.run(this.redis, List.of(key(resource)), List.of(String.valueOf(token), value));
		return RedisKeys.asLong(reply, 0) == 1;
	}

	/** The last accepted value and its token. */
	public Optional<Fenced> read(String resource) {
		Map<String, String> stored = this.redis.hgetAll(key(resource));
		if (stored.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(new Fenced(Long.parseLong(stored.get("token")), stored.get("value")));
	}

	private String key(String resource) {
		return RedisKeys.of(this.prefix, "fenced", resource).key();
	}

	/** A value and the fencing token it was written with. */
	public record Fenced(long token, String value) {
	}

}
