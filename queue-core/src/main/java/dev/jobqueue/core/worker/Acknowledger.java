package dev.jobqueue.core.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

import dev.jobqueue.core.queue.Completion;
import dev.jobqueue.core.queue.RedisJobQueue;

/**
 * Writes completions in batches, one script call per queue per batch, on its own thread. A batch
 * that cannot be written (Redis unreachable) is retried until the leases it covers run out; then the
 * jobs are left to run again, since their completion was never recorded.
 */
final class Acknowledger implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(Acknowledger.class);

	private static final int MAX_BATCH = 1_000;

	record Pending(Execution execution, String resultJson) {
	}

	private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();

	/** Told of each pending completion once it is written (true) or refused as stale (false). */
	private final BiConsumer<Execution, Boolean> written;

	/** Told of each completion given up on: never written, so the job's lease must be left to expire. */
	private final Consumer<Execution> dropped;

	private final Thread thread;

	private volatile boolean stopping;

	Acknowledger(String name, BiConsumer<Execution, Boolean> written, Consumer<Execution> dropped) {
		this.written = written;
		this.dropped = dropped;
		this.thread = new Thread(this, name);
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	void submit(Execution execution, String resultJson) {
		this.pending.add(new Pending(execution, resultJson));
	}

	/** Writes what is pending, then ends; waits at most {@code timeout}. */
	void stop(Duration timeout) {
		this.stopping = true;
		try {
			this.thread.join(Math.max(1, timeout.toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.thread.interrupt();
	}

	@Override
	public void run() {
		List<Pending> batch = new ArrayList<>();
		while (!(this.stopping && this.pending.isEmpty() && batch.isEmpty())) {
			try {
				if (batch.isEmpty()) {
					Pending first = this.pending.poll(100, TimeUnit.MILLISECONDS);
					if (first == null) {
						continue;
					}
					batch.add(first);
					this.pending.drainTo(batch, MAX_BATCH - 1);
				}
				write(batch);
				batch.clear();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (JedisConnectionException ex) {
				batch.removeIf(this::leaseIsOver);
				logger.warn("Cannot write {} job completions yet, retrying: {}", batch.size(), ex.getMessage());
				pause();
			}
			catch (Throwable ex) {
				logger.error("Dropped {} job completions that could not be written; the jobs will run again",
						batch.size(), ex);
				batch.forEach((item) -> this.dropped.accept(item.execution()));
				batch.clear();
			}
		}
	}

	/** Writes one script call per queue; what was written leaves {@code batch}, so a retry sends only the rest. */
	private void write(List<Pending> batch) {
		Map<RedisJobQueue, List<Pending>> byQueue = new LinkedHashMap<>();
		for (Pending item : batch) {
			byQueue.computeIfAbsent(item.execution().queue, (queue) -> new ArrayList<>()).add(item);
		}
		try {
			for (Map.Entry<RedisJobQueue, List<Pending>> entry : byQueue.entrySet()) {
				List<Pending> items = entry.getValue();
				List<Completion> completions = new ArrayList<>(items.size());
				for (Pending item : items) {
					completions.add(new Completion(item.execution().leased, item.resultJson()));
				}
				List<Boolean> acked = entry.getKey().ack(completions);
				for (int i = 0; i < items.size(); i++) {
					this.written.accept(items.get(i).execution(), acked.get(i));
				}
				items.clear();
			}
		}
		finally {
			batch.clear();
			byQueue.values().forEach(batch::addAll);
		}
	}

	private boolean leaseIsOver(Pending item) {
		if (System.nanoTime() - item.execution().leaseDeadlineNanos > 0) {
			logger.warn("Gave up writing the completion of job {}: its lease is over, so it will run again",
					item.execution().leased.id());
			this.dropped.accept(item.execution());
			return true;
		}
		return false;
	}

	private void pause() {
		try {
			Thread.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
