package dev.jobqueue.core.schedule;

/** What a schedule does with fire times missed while no node was running it. */
public enum MisfirePolicy {

	/** Enqueue one job for all the missed fire times together (stamped with the latest of them). */
	FIRE_ONCE,

	/** Enqueue nothing for missed fire times; carry on with the next one. */
	SKIP

}
