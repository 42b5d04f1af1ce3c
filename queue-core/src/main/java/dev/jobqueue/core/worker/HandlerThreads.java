package dev.jobqueue.core.worker;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads handlers run on: a virtual thread per job on JDKs that have them (21+), else a fixed
 * {@link HandlerPool} of platform threads that wakes no more of them than keep up with the jobs. A handler
 * abandoned at its timeout that keeps its thread is covered by one more pool thread until it returns, so it
 * never takes a slot from other jobs.
 */
final class HandlerThreads {

	/** {@code null} for the platform threads of a {@link HandlerPool}. */
	private final ExecutorService executor;

	/** {@code null} with virtual threads, which need no sizing. */
	private final HandlerPool pool;

	private HandlerThreads(ExecutorService executor, HandlerPool pool) {
		this.executor = executor;
		this.pool = pool;
	}

	static HandlerThreads create(String prefix, int concurrency, boolean preferVirtual) {
		ThreadFactory virtual = preferVirtual ? virtualThreadFactory(prefix) : null;
		if (virtual != null) {
			try {
				Method perTask = Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
				return new HandlerThreads((ExecutorService) perTask.invoke(null, virtual), null);
			}
			catch (ReflectiveOperationException ex) {
				// Fall back to platform threads.
			}
		}
		return new HandlerThreads(null, new HandlerPool(concurrency, platformThreadFactory(prefix, false)));
	}

	/** Handler threads from a given executor, sized by its owner. */
	static HandlerThreads over(ExecutorService executor) {
		return new HandlerThreads(executor, null);
	}

	void execute(Runnable task) {
		if (this.pool != null) {
			this.pool.execute(task);
		}
		else {
			this.executor.execute(task);
		}
	}

	/** A handler was abandoned but still holds its thread: add a thread in its place. */
	void lend() {
		if (this.pool != null) {
			this.pool.addThread();
		}
	}

	/** An abandoned handler returned its thread. */
	void giveBack() {
		if (this.pool != null) {
			this.pool.removeThread();
		}
	}

	void shutdownNow() {
		if (this.pool != null) {
			this.pool.shutdownNow();
		}
		else {
			this.executor.shutdownNow();
		}
	}

	static ThreadFactory platformThreadFactory(String name, boolean daemon) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, name.endsWith("-") ? name + count.incrementAndGet() : name);
			thread.setDaemon(daemon);
			return thread;
		};
	}

	/** {@code Thread.ofVirtual().name(prefix, 1).factory()}, or {@code null} before JDK 21. */
	private static ThreadFactory virtualThreadFactory(String prefix) {
		try {
			Method ofVirtual = Thread.class.getMethod("ofVirtual");
			Object builder = ofVirtual.invoke(null);
			Class<?> builderType = ofVirtual.getReturnType();
			builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
			return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}
