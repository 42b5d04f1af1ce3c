package dev.jobqueue.core.queue;

import java.util.List;

/**
 * Jobs whose lease had expired unfinished.
 *
 * @param reclaimed ids pending again, as suspects (a worker runs at most one suspect at a time)
 * @param deadLettered ids whose lease expired too often: dead-lettered as poison pills
 * @param cancelled ids whose cancel had been requested: now cancelled
 */
public record ReapResult(List<String> reclaimed, List<String> deadLettered, List<String> cancelled) {

	public boolean isEmpty() {
		return this.reclaimed.isEmpty() && this.deadLettered.isEmpty() && this.cancelled.isEmpty();
	}

	public int size() {
		return this.reclaimed.size() + this.deadLettered.size() + this.cancelled.size();
	}

}
