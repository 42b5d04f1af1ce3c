package dev.jobqueue.core.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.shard.ShardedQueue;

/**
 * Pages through one state of a sharded queue as if it were one queue. A page reads at most {@code limit} entries
 * from each shard ({@link QueueBrowser}, O(page) per shard), merges them by their time (newest first or oldest
 * first; pending jobs, which have no time, taken from the shards in turn) and keeps the first {@code limit}. Where
 * each shard stopped is the {@linkplain Page#next cursor} of the next page, so a deep page costs no more than the
 * first. Read-only; thread-safe.
 */
public final class ShardedBrowser {

	private final ShardedQueue queue;

	public ShardedBrowser(ShardedQueue queue) {
		this.queue = queue;
	}

	/** A job on a page, with the shard (0-based) that holds it. */
	public record Entry(int shard, String id, Instant at) {
	}

	/**
	 * One page.
	 * @param total jobs in the state over every shard
	 * @param next the per-shard offsets the next page starts from, or {@code null} on the last page
	 */
	public record Page(JobState state, long total, List<Entry> entries, long[] next) {
	}

	/** Up to {@code limit} jobs in {@code state}; {@code offsets} is a previous page's cursor, or {@code null} at first. */
	public Page page(JobState state, long[] offsets, int limit, boolean newestFirst) {
		int shards = this.queue.numShards();
		long[] from = (offsets != null) ? offsets.clone() : new long[shards];
		if (from.length != shards || Arrays.stream(from).anyMatch((offset) -> offset < 0)) {
			throw new IllegalArgumentException("The cursor must hold " + shards + " offsets of zero or more");
		}
		List<List<Entry>> perShard = new ArrayList<>(shards);
		long total = 0;
		boolean more = false;
		for (int i = 0; i < shards; i++) {
			JobPage page = new QueueBrowser(this.queue.shards().get(i)).page(state, from[i], limit, newestFirst);
			total += page.total();
			int shard = i;
			perShard.add(page.entries().stream().map((entry) -> new Entry(shard, entry.id(), entry.at())).toList());
			more |= page.hasNext();
		}
		List<Entry> merged = new ArrayList<>(limit);
		int[] taken = new int[shards];
		Comparator<Instant> order = newestFirst ? Comparator.reverseOrder() : Comparator.naturalOrder();
		int turn = 0;
		while (merged.size() < limit) {
			int best = -1;
			for (int k = 0; k < shards; k++) {
				// Without times (pending), shards take turns; with times, the earliest (or latest) head wins.
				int i = (turn + k) % shards;
				if (taken[i] >= perShard.get(i).size()) {
					continue;
				}
				Instant at = perShard.get(i).get(taken[i]).at();
				if (best < 0 || (at != null && perShard.get(best).get(taken[best]).at() != null
						&& order.compare(at, perShard.get(best).get(taken[best]).at()) < 0)) {
					best = i;
				}
			}
			if (best < 0) {
				break;
			}
			merged.add(perShard.get(best).get(taken[best]++));
			turn = best + 1;
		}
		long[] next = from.clone();
		boolean left = more;
		for (int i = 0; i < shards; i++) {
			next[i] += taken[i];
			left |= taken[i] < perShard.get(i).size();
		}
		return new Page(state, total, merged, left ? next : null);
	}

}
