package dev.jobqueue.core.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.jobqueue.core.dlq.DeadLetter;
import dev.jobqueue.core.dlq.DeadLetterQueue;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.redis.RedisScript;

/** The dead-letter queue of a {@link RedisJobQueue}, kept in its store's own keys. Thread-safe. */
final class RedisDeadLetterQueue implements DeadLetterQueue {

	private static final RedisScript READ = RedisJobStore.script("dead_letters");

	private static final RedisScript REVIVE = RedisJobStore.script("revive");

	private static final RedisScript PURGE = RedisJobStore.script("purge");

	/** Most dead letters one read returns, whatever range is asked for. */
	static final int MAX_READ = 1_000;

	private final RedisJobStore store;

	RedisDeadLetterQueue(RedisJobStore store) {
		this.store = store;
	}

	@Override
	public String queue() {
		return this.store.queue();
	}

	@Override
	public long size() {
		return this.store.redis().zcard(this.store.keys().key("dead"));
	}

	@Override
	public List<DeadLetter> get(long start, long stop) {
		if (start < 0) {
			throw new IllegalArgumentException("start must be zero or positive");
		}
		long last = (stop < 0 || stop - start >= MAX_READ) ? start + MAX_READ - 1 : stop;
		return read(List.of(String.valueOf(start), String.valueOf(last)));
	}

	@Override
	public Optional<DeadLetter> get(String id) {
		return read(List.of("id", id)).stream().findFirst();
	}

	@Override
	public boolean retry(String id) {
		return RedisJobStore.asLong(this.store.execute(REVIVE, List.of(), List.of("ids", id))) == 1;
	}

	/** Revives the jobs dead now; jobs that die again meanwhile are left for a later call, so this ends. */
	@Override
	public long retryAll() {
		return inBatches(REVIVE, List.of("oldest", String.valueOf(RedisJobStore.BATCH)), size());
	}

	@Override
	public boolean delete(String id) {
		return RedisJobStore.asLong(this.store.execute(PURGE, List.of(), List.of("ids", id))) == 1;
	}

	@Override
	public long purge() {
		return inBatches(PURGE, List.of(String.valueOf(RedisJobStore.BATCH)), Long.MAX_VALUE);
	}

	/** Runs a script that handles up to a batch of dead letters until none is left or {@code most} were handled. */
	private long inBatches(RedisScript script, List<String> args, long most) {
		long total = 0;
		long done;
		do {
			done = RedisJobStore.asLong(this.store.execute(script, List.of(), args));
			total += done;
		}
		while (done > 0 && total < most);
		return total;
	}

	private List<DeadLetter> read(List<String> args) {
		List<?> reply = (List<?>) this.store.execute(READ, List.of(), args);
		List<DeadLetter> letters = new ArrayList<>(reply.size() / 5);
		for (int i = 0; i < reply.size(); i += 5) {
			String id = (String) reply.get(i);
			int attempts = (int) RedisJobStore.asLong(reply.get(i + 3));
			letters.add(new DeadLetter(id, decode(id, (String) reply.get(i + 1), attempts),
					this.store.envelope.decodeError((String) reply.get(i + 4)),
					Instant.ofEpochMilli(RedisJobStore.asLong(reply.get(i + 2))), attempts));
		}
		return letters;
	}

	private Job decode(String id, String stored, int attempts) {
		if (stored == null) {
			return null;
		}
		try {
			return this.store.envelope.decode(id, this.store.queue(), stored, attempts);
		}
		catch (CorruptJobException ex) {
			return null;
		}
	}

}
