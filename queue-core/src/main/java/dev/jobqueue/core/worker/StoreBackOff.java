package dev.jobqueue.core.worker;

import java.time.Duration;
import java.util.Arrays;

/**
 * Which of a worker's stores failed lately and are left alone for a while (100 ms, doubling to 5 s), so that a
 * store on a server that is down or stalled costs the fetching thread one failed call per back-off, not one per
 * round, while the other stores are served. Used by the fetching thread only.
 */
final class StoreBackOff {

	private static final long FIRST_MILLIS = 100;

	private static final long MAX_MILLIS = 5_000;

	private final long[] pauseMillis;

	private final long[] retryAtNanos;

	private RuntimeException lastFailure;

	StoreBackOff(int stores) {
		this.pauseMillis = new long[stores];
		this.retryAtNanos = new long[stores];
	}

	boolean isWaiting(int store) {
		return this.pauseMillis[store] > 0 && this.retryAtNanos[store] - System.nanoTime() > 0;
	}

	boolean anyWaiting() {
		return Arrays.stream(this.pauseMillis).anyMatch((pause) -> pause > 0);
	}

	/** How long until the first store in back-off may be tried again; {@code null} when none is. */
	Duration untilRetry() {
		long now = System.nanoTime();
		long least = Long.MAX_VALUE;
		for (int i = 0; i < this.pauseMillis.length; i++) {
			if (this.pauseMillis[i] > 0) {
				least = Math.min(least, Math.max(0, this.retryAtNanos[i] - now));
			}
		}
		return (least == Long.MAX_VALUE) ? null : Duration.ofNanos(least);
	}

	/** The latest failure of any store. */
	RuntimeException lastFailure() {
		return this.lastFailure;
	}

	/** Records a failure; {@code true} when the store was fine until now. */
	boolean failed(int store, RuntimeException failure) {
		this.lastFailure = failure;
		boolean first = this.pauseMillis[store] == 0;
		long pause = (this.pauseMillis[store] == 0) ? FIRST_MILLIS : Math.min(this.pauseMillis[store] * 2, MAX_MILLIS);
		this.pauseMillis[store] = pause;
		this.retryAtNanos[store] = System.nanoTime() + pause * 1_000_000;
		return first;
	}

	/** Records a success; {@code true} when the store was failing until now. */
	boolean succeeded(int store) {
		boolean recovered = this.pauseMillis[store] > 0;
		this.pauseMillis[store] = 0;
		return recovered;
	}

}
