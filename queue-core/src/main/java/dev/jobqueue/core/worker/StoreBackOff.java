package dev.jobqueue.core.worker;

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

	/** The latest failure of any store. */
	RuntimeException lastFailure() {
		return this.lastFailure;
	}

	void failed(int store, RuntimeException failure) {
		this.lastFailure = failure;
		long pause = (this.pauseMillis[store] == 0) ? FIRST_MILLIS : Math.min(this.pauseMillis[store] * 2, MAX_MILLIS);
		this.pauseMillis[store] = pause;
		this.retryAtNanos[store] = System.nanoTime() + pause * 1_000_000;
	}

	void succeeded(int store) {
		this.pauseMillis[store] = 0;
	}

}
