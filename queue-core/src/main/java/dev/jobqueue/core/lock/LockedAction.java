package dev.jobqueue.core.lock;

/** Work done holding a lock; it receives the {@link Lock} so it can pass the fencing token on. */
@FunctionalInterface
public interface LockedAction<T> {

	T run(Lock lock) throws Exception;

}
