package dev.jobqueue.core.lock;

import java.time.Duration;

/** Told how long each {@link DistributedLock#tryAcquire} waited and whether it got the lock; for metrics. */
@FunctionalInterface
public interface LockListener {

	LockListener NONE = (key, waited, acquired) -> {
	};

	/** Called on the waiting thread; must not throw or block. */
	void waited(String key, Duration waited, boolean acquired);

}
