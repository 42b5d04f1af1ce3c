package dev.jobqueue.core.worker;

import java.util.List;

import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.TrimResult;

/** Removes finished jobs past their queue's retention (count and age) when no finishing job would trigger it. */
final class RetentionJanitor implements Runnable {

	private final List<JobStore> stores;

	private final JobRunner runner;

	RetentionJanitor(List<JobStore> stores, JobRunner runner) {
		this.stores = stores;
		this.runner = runner;
	}

	@Override
	public void run() {
		for (JobStore store : this.stores) {
			try {
				TrimResult removed;
				long dead = 0;
				do {
					removed = store.trim();
					dead += removed.dead();
				}
				while (!removed.isEmpty());
				this.runner.outage().succeeded();
				if (dead > 0) {
					this.runner.deadLettersTrimmed(store, dead);
				}
			}
			catch (RuntimeException ex) {
				this.runner.outage().failed("applying retention", ex);
			}
		}
	}

}
