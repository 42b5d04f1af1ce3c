package dev.jobqueue.core.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;


/**
 * The locks, semaphores, rate limiters and leader elections in use, so that they can be listed and inspected
 * without scanning keys. A primitive {@linkplain #register registers} its name and settings once per JVM when it
 * is first used (one small write into {@code <prefix>:{registry}:coordination}, at most {@value #MAX_NAMES} names;
 * a name whose keys have since expired stays listed as free). {@link #inspect} only reads. Thread-safe.
 */
public final class CoordinationRegistry {

	/** Most names kept; later new names are not listed. */
	public static final int MAX_NAMES = 1000;

	private static final RedisScript REGISTER = RedisScript.load(CoordinationRegistry.class, "registry_name");

	private final UnifiedJedis redis;

	private final String prefix;

	public CoordinationRegistry(UnifiedJedis redis, String keyPrefix) {
		this.redis = redis;
		this.prefix = keyPrefix;
	}

	/** What a primitive is; its Redis keys are {@code <prefix>:<kind>:{<name>}}. */
	public enum Kind {

		LOCK("lock"), SEMAPHORE("semaphore"), RATE_LIMITER("ratelimit"), LEADER("leader");

		private final String keyKind;

		Kind(String keyKind) {
			this.keyKind = keyKind;
		}

		public String label() {
			return name().toLowerCase(Locale.ROOT).replace('_', ' ');
		}

	}

	/**
	 * A primitive as Redis holds it now.
	 * @param holders who holds it: a lock's fencing token and owner, a semaphore's permit ids, a leader's term
	 *     and candidate; empty when free
	 * @param remaining free permits, or requests a rate limiter admits now; {@code -1} for locks and elections
	 * @param limit a semaphore's or rate limiter's limit; {@code -1} otherwise
	 * @param ttl how long the current holding lasts without renewal (the latest expiring permit's for a
	 *     semaphore); {@code null} when free
	 * @param settings what it was created with, for people (a limiter's window and burst, an election's lease)
	 */
	public record Primitive(Kind kind, String name, List<String> holders, long remaining, long limit, Duration ttl,
			String settings) {
	}

	/**
	 * Lists a primitive (a primitive calls this once, at its first use). Never throws, so that listing cannot fail
	 * a lock or a limiter: an unlisted primitive works the same. Returns whether it is listed.
	 */
	public static boolean register(UnifiedJedis redis, String prefix, Kind kind, String name, String settings) {
		try {
			REGISTER.run(redis, List.of(key(prefix)), List.of(kind.name() + "\t" + name, settings,
					String.valueOf(MAX_NAMES)));
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** Every listed primitive with its state, by kind then name; a few reads per primitive. */
	public List<Primitive> inspect() {
		// Redis's time in µs, as the rate limiter keeps it.
		long now = RedisKeys.asLong(this.redis.eval("local t = redis.call('TIME') return tonumber(t[1]) * 1000000 + tonumber(t[2])"));
		List<Primitive> out = new ArrayList<>();
		for (Map.Entry<String, String> entry : this.redis.hgetAll(key(this.prefix)).entrySet()) {
			int tab = entry.getKey().indexOf('\t');
			Kind kind;
			try {
				kind = Kind.valueOf(entry.getKey().substring(0, Math.max(tab, 0)));
			}
			catch (IllegalArgumentException ex) {
				continue;
			}
			out.add(inspect(kind, entry.getKey().substring(tab + 1), entry.getValue(), now));
		}
		out.sort(Comparator.comparing(Primitive::kind).thenComparing(Primitive::name));
		return out;
	}

	private Primitive inspect(Kind kind, String name, String settings, long nowMicros) {
		long now = nowMicros / 1000;
		RedisKeys keys = RedisKeys.of(this.prefix, kind.keyKind, name);
		return switch (kind) {
			case LOCK, LEADER -> {
				String value = this.redis.get(keys.key());
				Duration ttl = (value != null) ? ttl(this.redis.pttl(keys.key())) : null;
				List<String> holders = (value == null) ? List.of()
						: List.of(((kind == Kind.LOCK) ? "token " : "term ") + value.replaceFirst(":", " · "));
				yield new Primitive(kind, name, holders, -1, -1, ttl,
						(kind == Kind.LEADER) ? "lease " + shortly(Duration.ofMillis(Long.parseLong(settings))) : "");
			}
			case SEMAPHORE -> {
				long limit = Long.parseLong(Optional.ofNullable(this.redis.get(keys.key("limit"))).orElse(settings));
				List<String> holders = new ArrayList<>();
				long last = 0;
				for (Tuple permit : this.redis.zrangeByScoreWithScores(keys.key(), "(" + now, "+inf")) {
					holders.add("permit " + permit.getElement());
					last = Math.max(last, (long) permit.getScore());
				}
				yield new Primitive(kind, name, holders, Math.max(limit - holders.size(), 0), limit,
						holders.isEmpty() ? null : Duration.ofMillis(last - now), "limit " + settings + " when created");
			}
			case RATE_LIMITER -> {
				String[] parts = settings.split(" ");
				long limit = Long.parseLong(parts[0]);
				long windowMicros = Long.parseLong(parts[1]) * 1000;
				int burst = Integer.parseInt(parts[2]);
				long slots = limit - burst + 1;
				long interval = (windowMicros + slots - 1) / slots;
				long tolerance = (burst - 1) * interval;
				String stored = this.redis.get(keys.key());
				long ahead = (stored != null) ? Math.max(Long.parseLong(stored) - nowMicros, 0) : 0;
				long remaining = (ahead > tolerance) ? 0 : (tolerance - ahead) / interval + 1;
				yield new Primitive(kind, name, List.of(), remaining, limit, (ahead > 0) ? Duration.ofNanos(ahead * 1000)
						: null, "window " + shortly(Duration.ofMillis(Long.parseLong(parts[1]))) + ", burst " + burst);
			}
		};
	}

	private static String shortly(Duration duration) {
		return duration.toString().substring(2).toLowerCase(Locale.ROOT);
	}

	private static Duration ttl(long pttl) {
		return (pttl >= 0) ? Duration.ofMillis(pttl) : null;
	}

	/** Beside the worker registry's keys, under the same {@code {registry}} hash tag. */
	static String key(String prefix) {
		return prefix + ":{registry}:coordination";
	}

}
