package dev.jobqueue.core.flow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import redis.clients.jedis.resps.Tuple;

import dev.jobqueue.core.queue.RedisJobStore;

/**
 * Lists the batches and chains dispatched on one queue, newest first, from the queue's {@code flow_index}
 * (the newest 10,000 top-level flows, written by the dispatch script): a page costs O(page) reads, never a scan.
 * Flows nested in another are reached through their parent. Read-only; thread-safe.
 */
public final class FlowBrowser {

	/** Most flows one page may ask for. */
	public static final int MAX_PAGE = 100;

	private final Flows flows;

	private final RedisJobStore store;

	public FlowBrowser(Flows flows) {
		this.flows = Objects.requireNonNull(flows, "flows");
		this.store = flows.queue().store();
	}

	/** One listed flow: exactly one of {@code batch} and {@code chain} is set. */
	public record Entry(String id, Instant dispatchedAt, BatchStatus batch, ChainStatus chain) {

		public FlowStatus status() {
			return (this.batch != null) ? this.batch.status() : this.chain.status();
		}

	}

	/** How many flows the index lists (some of which may have been forgotten since). */
	public long count() {
		return this.store.redis().zcard(index());
	}

	/**
	 * Up to {@code limit} flows from {@code offset}, newest first. A flow whose record was forgotten (it ended
	 * longer ago than it was kept) is left out, so a page may be shorter than {@code limit}.
	 */
	public List<Entry> recent(long offset, int limit) {
		if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
			throw new IllegalArgumentException("offset must be >= 0 and limit from 1 to " + MAX_PAGE);
		}
		List<Entry> entries = new ArrayList<>(limit);
		for (Tuple ref : this.store.redis().zrevrangeWithScores(index(), offset, offset + limit - 1)) {
			find(ref.getElement(), Instant.ofEpochMilli((long) ref.getScore())).ifPresent(entries::add);
		}
		return entries;
	}

	/** A flow by its id, if it is listed and its record is kept. */
	public Optional<Entry> get(String id) {
		for (String ref : List.of("b" + id, "c" + id)) {
			Double score = this.store.redis().zscore(index(), ref);
			if (score != null) {
				return find(ref, Instant.ofEpochMilli(score.longValue()));
			}
		}
		return java.util.Optional.empty();
	}

	private Optional<Entry> find(String ref, Instant at) {
		String id = ref.substring(1);
		if (ref.charAt(0) == 'b') {
			return this.flows.batchStatus(id).map((batch) -> new Entry(id, at, batch, null));
		}
		return this.flows.chainStatus(id).map((chain) -> new Entry(id, at, null, chain));
	}

	private String index() {
		return this.store.keys().key("flow_index");
	}

}
