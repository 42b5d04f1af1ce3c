package dev.jobqueue.core.queue;

/**
 * What one retention pass removed.
 *
 * @param finished completed, cancelled and skipped jobs removed
 * @param dead dead letters removed
 */
public record TrimResult(long finished, long dead) {

	public boolean isEmpty() {
		return this.finished == 0 && this.dead == 0;
	}

}
