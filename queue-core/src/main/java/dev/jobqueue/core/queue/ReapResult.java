package dev.jobqueue.core.queue;

import java.util.List;

/**
 * Jobs whose lease had expired.
 *
 * @param reclaimed ids put back to pending, to run again
 * @param deadLettered ids whose lease expired too often: dead-lettered as poison pills
 */
public record ReapResult(List<String> reclaimed, List<String> deadLettered) {

	public boolean isEmpty() {
		return this.reclaimed.isEmpty() && this.deadLettered.isEmpty();
	}

}
