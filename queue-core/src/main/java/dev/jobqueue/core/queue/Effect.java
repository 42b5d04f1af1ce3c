package dev.jobqueue.core.queue;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import dev.jobqueue.core.job.Job;

/**
 * A side effect applied in the same Lua script as an enqueue or a settle, and only when that step takes
 * place (a job created, an attempt settled with its lease still held). Every key must carry the store's
 * hash tag ({@link dev.jobqueue.core.queue.QueueKeys#custom}): the store refuses others, so the step stays
 * one atomic script on Redis Cluster too. Later features (idempotency marks, batch counters, unique claims,
 * events) are effects, not new copies of the lifecycle scripts. Immutable.
 */
public sealed interface Effect {

	/** The key this effect writes. */
	String key();

	/** {@code SET key value}, with a time to live unless {@code ttl} is {@code null}, only if absent when asked. */
	static Effect put(String key, String value, Duration ttl, boolean ifAbsent) {
		return new Put(key, value, ttl, ifAbsent);
	}

	static Effect delete(String key) {
		return new Delete(key);
	}

	static Effect increment(String key, long by) {
		return new Increment(key, by);
	}

	static Effect hashPut(String key, String field, String value) {
		return new HashPut(key, field, value);
	}

	static Effect expire(String key, Duration ttl) {
		return new Expire(key, ttl);
	}

	/** {@code XADD key MAXLEN ~ maxLength * fields...}. */
	static Effect streamAppend(String key, long maxLength, Map<String, String> fields) {
		return new StreamAppend(key, maxLength, fields);
	}

	/** {@code DECR key}; when it reaches 0, {@code job} is enqueued in the same store, at once. */
	static Effect countdownEnqueue(String key, Job job) {
		return new CountdownEnqueue(key, job);
	}

	record Put(String key, String value, Duration ttl, boolean ifAbsent) implements Effect {

		public Put {
			Objects.requireNonNull(key, "key");
			Objects.requireNonNull(value, "value");
			if (ttl != null && ttl.toMillis() <= 0) {
				throw new IllegalArgumentException("A time to live must be at least 1 ms");
			}
		}

	}

	record Delete(String key) implements Effect {

		public Delete {
			Objects.requireNonNull(key, "key");
		}

	}

	record Increment(String key, long by) implements Effect {

		public Increment {
			Objects.requireNonNull(key, "key");
		}

	}

	record HashPut(String key, String field, String value) implements Effect {

		public HashPut {
			Objects.requireNonNull(key, "key");
			Objects.requireNonNull(field, "field");
			Objects.requireNonNull(value, "value");
		}

	}

	record Expire(String key, Duration ttl) implements Effect {

		public Expire {
			Objects.requireNonNull(key, "key");
			if (ttl == null || ttl.toMillis() <= 0) {
				throw new IllegalArgumentException("A time to live must be at least 1 ms");
			}
		}

	}

	record StreamAppend(String key, long maxLength, Map<String, String> fields) implements Effect {

		public StreamAppend {
			Objects.requireNonNull(key, "key");
			if (maxLength < 1 || fields == null || fields.isEmpty()) {
				throw new IllegalArgumentException("A stream entry needs fields and a maximum length of at least 1");
			}
			fields = Map.copyOf(fields);
		}

	}

	record CountdownEnqueue(String key, Job job) implements Effect {

		public CountdownEnqueue {
			Objects.requireNonNull(key, "key");
			Objects.requireNonNull(job, "job");
		}

	}

}
