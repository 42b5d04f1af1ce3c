package dev.jobqueue.core.worker;

import java.util.Collection;
import java.util.List;

import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.core.queue.Enqueue;
import dev.jobqueue.core.queue.EnqueueResult;
import dev.jobqueue.core.queue.ExtendResult;
import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.LeaseBatch;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.QueueKeys;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.ReapResult;
import dev.jobqueue.core.queue.SettleResult;
import dev.jobqueue.core.queue.Settlement;
import dev.jobqueue.core.queue.TrimResult;

/** A real store with one call overridden by a test, e.g. to throw what Redis answers in a fault. */
class ForwardingJobStore implements JobStore {

	private final JobStore store;

	ForwardingJobStore(JobStore store) {
		this.store = store;
	}

	@Override
	public String queue() {
		return this.store.queue();
	}

	@Override
	public QueueKeys keys() {
		return this.store.keys();
	}

	@Override
	public QueueOptions options() {
		return this.store.options();
	}

	@Override
	public UnifiedJedis redis() {
		return this.store.redis();
	}

	@Override
	public List<EnqueueResult> enqueue(List<Enqueue> requests) {
		return this.store.enqueue(requests);
	}

	@Override
	public LeaseBatch lease(int max, boolean allowSuspect) {
		return this.store.lease(max, allowSuspect);
	}

	@Override
	public SettleResult settle(List<Settlement> settlements) {
		return this.store.settle(settlements);
	}

	@Override
	public ExtendResult extend(Collection<LeasedJob> leases) {
		return this.store.extend(leases);
	}

	@Override
	public ReapResult reap(int limit) {
		return this.store.reap(limit);
	}

	@Override
	public TrimResult trim() {
		return this.store.trim();
	}

	@Override
	public boolean updateProgress(LeasedJob lease, int progress) {
		return this.store.updateProgress(lease, progress);
	}

}
