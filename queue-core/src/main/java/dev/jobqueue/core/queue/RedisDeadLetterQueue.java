package dev.jobqueue.core.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.jobqueue.core.dlq.DeadLetter;
import dev.jobqueue.core.dlq.DeadLetterQueue;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.redis.RedisScript;

/** The dead-letter queue of a {@link RedisJobQueue}, kept in the queue's own keys. Thread-safe. */
final class RedisDeadLetterQueue implements DeadLetterQueue {

	private static final RedisScript READ = RedisJobQueue.script("dead_letters");

	private static final RedisScript REVIVE = RedisJobQueue.script("revive");

	private static final RedisScript PURGE = RedisJobQueue.script("purge");

	private final RedisJobQueue queue;

	RedisDeadLetterQueue(RedisJobQueue queue) {
		this.queue = queue;
	}

	@Override
	public String queue() {
		return this.queue.name();
	}

	@Override
	public long size() {
		return this.queue.redis.zcard(this.queue.keys.key("dead"));
	}

	@Override
	public List<DeadLetter> get(long start, long stop) {
		return read(List.of(String.valueOf(start), String.valueOf(stop)));
	}

	@Override
	public Optional<DeadLetter> get(String id) {
		return read(List.of("id", id)).stream().findFirst();
	}

	@Override
	public boolean retry(String id) {
		return RedisJobQueue.asLong(this.queue.run(REVIVE, List.of("ids", id))) == 1;
	}

	/** Revives the jobs dead now; jobs that die again meanwhile are left for a later call, so this ends. */
	@Override
	public long retryAll() {
		return inBatches(REVIVE, List.of("oldest", String.valueOf(RedisJobQueue.BATCH)), size());
	}

	@Override
	public boolean delete(String id) {
		return RedisJobQueue.asLong(this.queue.run(PURGE, List.of("ids", id))) == 1;
	}

	@Override
	public long purge() {
		return inBatches(PURGE, List.of(String.valueOf(RedisJobQueue.BATCH)), Long.MAX_VALUE);
	}

	/** Runs a script that handles up to a batch of dead letters until none is left or {@code most} were handled. */
	private long inBatches(RedisScript script, List<String> args, long most) {
		long total = 0;
		long done;
		do {
			done = RedisJobQueue.asLong(this.queue.run(script, args));
			total += done;
		}
		while (done > 0 && total < most);
		return total;
	}

	private List<DeadLetter> read(List<String> args) {
		List<?> reply = (List<?>) this.queue.run(READ, args);
		List<DeadLetter> letters = new ArrayList<>(reply.size() / 5);
		for (int i = 0; i < reply.size(); i += 5) {
			String id = (String) reply.get(i);
			int attempts = (int) RedisJobQueue.asLong(reply.get(i + 3));
			letters.add(new DeadLetter(id, decode(id, (String) reply.get(i + 1), attempts),
					this.queue.envelope.decodeError((String) reply.get(i + 4)),
					Instant.ofEpochMilli(RedisJobQueue.asLong(reply.get(i + 2))), attempts));
		}
		return letters;
	}

	private Job decode(String id, String stored, int attempts) {
		if (stored == null) {
			return null;
		}
		try {
			return this.queue.envelope.decode(id, this.queue.name(), stored, attempts);
		}
		catch (CorruptJobException ex) {
			return null;
		}
	}

}
