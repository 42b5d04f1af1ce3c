package dev.jobqueue.core.dlq;

import java.util.List;
import java.util.Optional;

/**
 * The jobs of one queue that failed for good: non-retryable errors, spent retries and poison pills.
 * Entries are kept within the queue's dead-letter retention (count and age). Thread-safe.
 */
public interface DeadLetterQueue {

	/** The queue whose dead letters these are. */
	String queue();

	long size();

	/** Entries by rank, newest first; {@code start} and {@code stop} are inclusive, negatives count from the end. */
	List<DeadLetter> get(long start, long stop);

	Optional<DeadLetter> get(String id);

	/** Puts a dead job back to pending with a fresh retry budget; {@code false} when it is not dead. */
	boolean retry(String id);

	/** Puts every dead job back to pending; returns how many. */
	long retryAll();

	/** Deletes one dead job; {@code false} when it is not dead. */
	boolean delete(String id);

	/** Deletes every dead job; returns how many. */
	long purge();

}
