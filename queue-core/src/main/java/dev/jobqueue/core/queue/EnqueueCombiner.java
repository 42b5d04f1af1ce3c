package dev.jobqueue.core.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Coalesces concurrent enqueues of one store into batched script calls, as a worker's outcomes are. A
 * caller that finds no batch being sent sends one itself, taking along every request waiting (no thread
 * hand-off when uncontended); callers that arrive meanwhile wait for the next batch. Asynchronous
 * enqueues are sent by one sender thread per store, started on first use. Thread-safe.
 */
final class EnqueueCombiner {

	/** Most requests taken into one {@link JobStore#enqueue} call (which splits them into short scripts). */
	private static final int MAX_TAKEN = 1_000;

	private record Pending(Enqueue request, CompletableFuture<EnqueueResult> result) {
	}

	private final RedisJobStore store;

	private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean sending = new AtomicBoolean();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private volatile ExecutorService sender;

	EnqueueCombiner(RedisJobStore store) {
		this.store = store;
	}

	EnqueueResult enqueue(Enqueue request) {
		CompletableFuture<EnqueueResult> result = add(request);
		drain();
		try {
			return result.join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
		}
	}

	CompletableFuture<EnqueueResult> enqueueAsync(Enqueue request) {
		CompletableFuture<EnqueueResult> result = add(request);
		if (this.scheduled.compareAndSet(false, true)) {
			sender().execute(() -> {
				this.scheduled.set(false);
				drain();
			});
		}
		return result;
	}

	private CompletableFuture<EnqueueResult> add(Enqueue request) {
		// Checked here, so one bad job fails alone instead of the batch it would have joined.
		this.store.check(request);
		CompletableFuture<EnqueueResult> result = new CompletableFuture<>();
		this.waiting.add(new Pending(request, result));
		return result;
	}

	/**
	 * Sends batches until nothing waits; returns at once when another caller is sending (it takes ours along).
	 * Futures are completed after the flag is released: a callback that enqueues again must find it free.
	 */
	private void drain() {
		while (this.sending.compareAndSet(false, true)) {
			List<Pending> batch;
			List<EnqueueResult> results = null;
			Throwable failure = null;
			try {
				batch = take();
				if (!batch.isEmpty()) {
					try {
						results = this.store.enqueue(batch.stream().map(Pending::request).toList());
					}
					catch (Throwable ex) {
						failure = ex;
					}
				}
			}
			finally {
				this.sending.set(false);
			}
			for (int i = 0; i < batch.size(); i++) {
				if (failure != null) {
					batch.get(i).result().completeExceptionally(failure);
				}
				else {
					batch.get(i).result().complete(results.get(i));
				}
			}
			if (failure instanceof Error error) {
				throw error;
			}
			// A request added after the last take, while the flag was held, is sent now.
			if (this.waiting.isEmpty()) {
				return;
			}
		}
	}

	private List<Pending> take() {
		List<Pending> batch = new ArrayList<>();
		Pending next;
		while (batch.size() < MAX_TAKEN && (next = this.waiting.poll()) != null) {
			batch.add(next);
		}
		return batch;
	}

	private ExecutorService sender() {
		if (this.sender == null) {
			synchronized (this) {
				if (this.sender == null) {
					this.sender = Executors.newSingleThreadExecutor((runnable) -> {
						Thread thread = new Thread(runnable, "jobqueue-" + this.store.keys().tag() + "-enqueue");
						thread.setDaemon(true);
						return thread;
					});
				}
			}
		}
		return this.sender;
	}

}
