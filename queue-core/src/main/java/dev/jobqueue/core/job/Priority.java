package dev.jobqueue.core.job;

/**
 * Named priority levels. Any int in [{@link #MIN}, {@link #MAX}] is a priority: higher runs first,
 * jobs of equal priority run in the order they were enqueued.
 */
public final class Priority {

	public static final int LOW = -10;

	/** The default. Jobs of this priority take the fastest path through Redis. */
	public static final int NORMAL = 0;

	public static final int HIGH = 10;

	public static final int CRITICAL = 20;

	public static final int MIN = -1_000;

	public static final int MAX = 1_000;

	private Priority() {
	}

	static int check(int priority) {
		if (priority < MIN || priority > MAX) {
			throw new IllegalArgumentException("Priority must be between " + MIN + " and " + MAX + ", not " + priority);
		}
		return priority;
	}

}
