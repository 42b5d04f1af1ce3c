package dev.jobqueue.core.shard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.jobqueue.core.dlq.DeadLetter;
import dev.jobqueue.core.dlq.DeadLetterQueue;

/** The dead letters of every shard of a {@link ShardedQueue}, as one dead-letter queue. Thread-safe. */
final class ShardedDeadLetterQueue implements DeadLetterQueue {

	/** Most dead letters one read returns, as for one queue. */
	static final int MAX_READ = 1_000;

	private final ShardedQueue queue;

	ShardedDeadLetterQueue(ShardedQueue queue) {
		this.queue = queue;
	}

	@Override
	public String queue() {
		return this.queue.name();
	}

	@Override
	public long size() {
		return this.queue.eachShard((shard) -> shard.deadLetters().size()).stream().mapToLong(Long::longValue).sum();
	}

	/** Newest first over all shards: each shard gives its newest {@code stop + 1}, merged by time of death. */
	@Override
	public List<DeadLetter> get(long start, long stop) {
		if (start < 0) {
			throw new IllegalArgumentException("start must be zero or positive");
		}
		long last = (stop < 0 || stop - start >= MAX_READ) ? start + MAX_READ - 1 : stop;
		List<DeadLetter> all = new ArrayList<>();
		this.queue.eachShard((shard) -> all.addAll(shard.deadLetters().get(0, last)));
		all.sort(Comparator.comparing(DeadLetter::failedAt).reversed());
		return (start >= all.size()) ? List.of() : List.copyOf(all.subList((int) start, (int) Math.min(all.size(), last + 1)));
	}

	@Override
	public Optional<DeadLetter> get(String id) {
		return this.queue.firstAnswer(id, (shard) -> shard.deadLetters().get(id).orElse(null));
	}

	@Override
	public boolean retry(String id) {
		return this.queue.firstAnswer(id, (shard) -> shard.deadLetters().retry(id) ? Boolean.TRUE : null).isPresent();
	}

	@Override
	public long retryAll() {
		return this.queue.eachShard((shard) -> shard.deadLetters().retryAll()).stream().mapToLong(Long::longValue).sum();
	}

	@Override
	public boolean delete(String id) {
		return this.queue.firstAnswer(id, (shard) -> shard.deadLetters().delete(id) ? Boolean.TRUE : null).isPresent();
	}

	@Override
	public long purge() {
		return this.queue.eachShard((shard) -> shard.deadLetters().purge()).stream().mapToLong(Long::longValue).sum();
	}

}
