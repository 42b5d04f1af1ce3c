package dev.jobqueue.core.worker;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads handlers run on: a virtual thread per job on JDKs that have them (21+), else a fixed
 * pool of platform threads whose idle threads spin briefly before parking (a job handed over at high
 * rates then costs no system call). A handler abandoned at its timeout that keeps its thread is
 * covered by one more pool thread until it returns, so it never takes a slot from other jobs.
 */
final class HandlerThreads {

	private final ExecutorService executor;

	/** {@code null} with virtual threads, which need no sizing. */
	private final ThreadPoolExecutor pool;

	private HandlerThreads(ExecutorService executor, ThreadPoolExecutor pool) {
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
		ThreadPoolExecutor pool = new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS,
				new LinkedTransferQueue<>(), platformThreadFactory(prefix, false));
		pool.prestartAllCoreThreads();
		return new HandlerThreads(pool, pool);
	}

	/** Handler threads from a given executor, sized by its owner. */
	static HandlerThreads over(ExecutorService executor) {
		return new HandlerThreads(executor, null);
	}

	void execute(Runnable task) {
		this.executor.execute(task);
	}

	/** A handler was abandoned but still holds its thread: add a thread in its place. */
	void lend() {
		if (this.pool != null) {
			synchronized (this.pool) {
				this.pool.setMaximumPoolSize(this.pool.getMaximumPoolSize() + 1);
				this.pool.setCorePoolSize(this.pool.getCorePoolSize() + 1);
			}
		}
	}

	/** An abandoned handler returned its thread. */
	void giveBack() {
		if (this.pool != null) {
			synchronized (this.pool) {
				this.pool.setCorePoolSize(this.pool.getCorePoolSize() - 1);
				this.pool.setMaximumPoolSize(this.pool.getMaximumPoolSize() - 1);
			}
		}
	}

	void shutdownNow() {
		this.executor.shutdownNow();
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
