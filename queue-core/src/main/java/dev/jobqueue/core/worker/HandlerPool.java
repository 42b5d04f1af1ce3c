package dev.jobqueue.core.worker;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of handler threads that wakes as few of them as keep the queue moving. A thread pool wakes a
 * parked thread for every task; here a task wakes one only when no thread is already looking for work, and
 * a thread that takes a task while more wait wakes the next one. A burst of short jobs then runs on the few
 * threads that are awake, without a system call per job, while a burst of long jobs still gets a thread each,
 * one wake-up after the other. Idle threads park, most recently used on top. Thread-safe.
 */
final class HandlerPool implements Executor {

	private final ThreadFactory factory;

	private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	/** Parked threads, most recently parked first. */
	private final ConcurrentLinkedDeque<Handler> idle = new ConcurrentLinkedDeque<>();

	/**
	 * Threads awake without a task: woken, or done with one and looking for the next. While one is, a new
	 * task wakes no one: a thread about to park looks at the queue again after it stops counting here.
	 */
	private final AtomicInteger searching = new AtomicInteger();

	/** Threads to retire at their next idle moment (a lent thread given back). */
	private final AtomicInteger surplus = new AtomicInteger();

	private final Set<Handler> handlers = ConcurrentHashMap.newKeySet();

	private volatile boolean shutdown;

	HandlerPool(int threads, ThreadFactory factory) {
		this.factory = factory;
		for (int i = 0; i < threads; i++) {
			addThread();
		}
	}

	@Override
	public void execute(Runnable task) {
		if (this.shutdown) {
			throw new RejectedExecutionException("The handler threads are shut down");
		}
		this.tasks.add(task);
		// Added just after shutdownNow cleared the queue: no thread would run it, so it is refused (handed back).
		if (this.shutdown && this.tasks.remove(task)) {
			throw new RejectedExecutionException("The handler threads are shut down");
		}
		if (this.searching.get() == 0) {
			wakeOne();
		}
	}

	/** One more thread, for a handler that holds its thread past its end. */
	void addThread() {
		if (this.surplus.getAndUpdate((n) -> (n > 0) ? n - 1 : n) > 0) {
			// A thread due to retire stays instead.
			return;
		}
		Handler handler = new Handler();
		handler.thread = this.factory.newThread(handler);
		this.handlers.add(handler);
		this.searching.incrementAndGet();
		handler.thread.start();
	}

	/** One thread fewer, once one is idle. */
	void removeThread() {
		this.surplus.incrementAndGet();
		wakeOne();
	}

	/** Threads alive, whether running a handler or idle. */
	int threads() {
		return this.handlers.size();
	}

	/** Stops every thread: running handlers are interrupted, queued tasks are dropped. */
	void shutdownNow() {
		this.shutdown = true;
		this.tasks.clear();
		for (Handler handler : this.handlers) {
			handler.thread.interrupt();
		}
	}

	private void wakeOne() {
		Handler handler = this.idle.pollFirst();
		if (handler != null) {
			this.searching.incrementAndGet();
			handler.signalled = true;
			LockSupport.unpark(handler.thread);
		}
	}

	private final class Handler implements Runnable {

		Thread thread;

		volatile boolean signalled;

		@Override
		public void run() {
			try {
				// Counted as searching from its start (see addThread).
				while (!HandlerPool.this.shutdown) {
					Runnable task = HandlerPool.this.tasks.poll();
					if (task != null) {
						if (HandlerPool.this.searching.decrementAndGet() == 0 && !HandlerPool.this.tasks.isEmpty()) {
							wakeOne();
						}
						runTask(task);
						HandlerPool.this.searching.incrementAndGet();
					}
					else if (!idle()) {
						return;
					}
				}
			}
			finally {
				HandlerPool.this.handlers.remove(this);
			}
		}

		private void runTask(Runnable task) {
			try {
				task.run();
			}
			catch (Throwable ex) {
				Thread.UncaughtExceptionHandler handler = this.thread.getUncaughtExceptionHandler();
				if (handler != null) {
					handler.uncaughtException(this.thread, ex);
				}
			}
			// An interrupt meant for the task that just ended must not reach the next one.
			Thread.interrupted();
		}

		/** Parks until signalled; {@code false} when this thread retires instead. */
		private boolean idle() {
			if (HandlerPool.this.surplus.getAndUpdate((n) -> (n > 0) ? n - 1 : n) > 0) {
				// A task added while this thread still counted as searching woke no one: hand it to another.
				if (HandlerPool.this.searching.decrementAndGet() == 0 && !HandlerPool.this.tasks.isEmpty()) {
					wakeOne();
				}
				return false;
			}
			this.signalled = false;
			HandlerPool.this.idle.addFirst(this);
			HandlerPool.this.searching.decrementAndGet();
			// A task added while this thread still counted as searching woke no one: look once more.
			if ((!HandlerPool.this.tasks.isEmpty() || HandlerPool.this.shutdown) && HandlerPool.this.idle.remove(this)) {
				HandlerPool.this.searching.incrementAndGet();
				return true;
			}
			while (!this.signalled && !HandlerPool.this.shutdown) {
				LockSupport.park(HandlerPool.this);
				Thread.interrupted();
			}
			return true;
		}

	}

}
