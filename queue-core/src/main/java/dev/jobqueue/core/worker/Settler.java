package dev.jobqueue.core.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.SettleResult;
import dev.jobqueue.core.queue.Settlement;
import dev.jobqueue.core.redis.RedisErrors;

/**
 * Writes the outcomes of a worker's attempts in batches, one script call per store per batch, on its own
 * thread. A batch Redis refuses for a transient reason (unreachable, a timeout, {@code LOADING}, {@code BUSY},
 * {@code OOM}, {@code READONLY}, a cluster failover...) is sent again, past the end of its leases too: until a
 * reaper reclaims a job, its expired lease still holds and the outcome is written as usual. An outcome refused
 * because its lease ran out and the job was reclaimed is followed by a {@link Outcome.FinishedLate}, which
 * takes back the stall the reclaim charged: the attempt had finished. Outcomes still unwritten
 * {@link #GIVE_UP_AFTER} after their lease ended are given up.
 */
final class Settler implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private static final int MAX_BATCH = 1_000;

	static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);

	record Pending(Attempt attempt, Settlement settlement) {
	}

	/** Told of each written outcome: settled, or refused because the lease was gone; and whether sent twice. */
	interface Listener {

		void written(Pending pending, boolean settled, boolean sentAgain);

		void givenUp(Pending pending);

		void deadLettersTrimmed(JobStore store, long count);

	}

	private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();

	private final Listener listener;

	private final RedisOutageLog outage;

	private final Thread thread;

	private volatile boolean stopping;

	Settler(String name, Listener listener, RedisOutageLog outage) {
		this.listener = listener;
		this.outage = outage;
		this.thread = new Thread(this, name);
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	void submit(Attempt attempt, Settlement settlement) {
		this.pending.add(new Pending(attempt, settlement));
	}

	int backlog() {
		return this.pending.size();
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
		boolean sentAgain = false;
		long pause = 50;
		while (!(this.stopping && this.pending.isEmpty() && batch.isEmpty())) {
			try {
				if (batch.isEmpty()) {
					Pending first = this.pending.poll(100, TimeUnit.MILLISECONDS);
					if (first == null) {
						continue;
					}
					batch.add(first);
					this.pending.drainTo(batch, MAX_BATCH - 1);
					sentAgain = false;
				}
				write(batch, sentAgain);
				this.outage.succeeded();
				pause = 50;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				if (RedisErrors.isTransient(ex)) {
					this.outage.failed("writing job outcomes", ex);
					batch.removeIf(this::tooLate);
					sentAgain = true;
					if (!sleep(pause)) {
						// Stopped past its time: what is left is never written, and runs again after its lease.
						logger.warn("Gave up writing {} job outcomes at shutdown: Redis could not be reached; the jobs run "
								+ "again once their leases expire", batch.size() + this.pending.size());
						batch.forEach(this.listener::givenUp);
						this.pending.forEach(this.listener::givenUp);
						this.pending.clear();
						return;
					}
					pause = Math.min(pause * 2, 1_000);
				}
				else {
					logger.error("Gave up writing {} job outcomes that Redis refused; the jobs run again once their leases "
							+ "expire", batch.size(), ex);
					batch.forEach(this.listener::givenUp);
					batch.clear();
				}
			}
			catch (Throwable ex) {
				logger.error("Gave up writing {} job outcomes; the jobs run again once their leases expire", batch.size(), ex);
				batch.forEach(this.listener::givenUp);
				batch.clear();
			}
		}
	}

	/** One script call per store; what was written leaves {@code batch}, so a retry sends only the rest. */
	private void write(List<Pending> batch, boolean sentAgain) {
		Map<JobStore, List<Pending>> byStore = new LinkedHashMap<>();
		for (Pending item : batch) {
			byStore.computeIfAbsent(item.attempt().store, (store) -> new ArrayList<>()).add(item);
		}
		try {
			for (Map.Entry<JobStore, List<Pending>> entry : byStore.entrySet()) {
				List<Pending> items = entry.getValue();
				SettleResult result = entry.getKey().settle(items.stream().map(Pending::settlement).toList());
				for (int i = 0; i < items.size(); i++) {
					Pending item = items.get(i);
					boolean settled = result.settled().get(i);
					if (!settled && !(item.settlement().outcome() instanceof Outcome.FinishedLate)
							&& System.nanoTime() - item.attempt().leaseDeadlineNanos > 0) {
						this.pending.add(new Pending(item.attempt(),
								new Settlement(item.settlement().lease(), new Outcome.FinishedLate())));
					}
					if (result.cancelled().get(i)) {
						item = new Pending(item.attempt(), new Settlement(item.settlement().lease(), new Outcome.Cancelled()));
					}
					this.listener.written(item, settled, sentAgain);
				}
				if (result.deadLettersTrimmed() > 0) {
					this.listener.deadLettersTrimmed(entry.getKey(), result.deadLettersTrimmed());
				}
				items.clear();
			}
		}
		finally {
			batch.clear();
			byStore.values().forEach(batch::addAll);
		}
	}

	private boolean tooLate(Pending item) {
		if (System.nanoTime() - item.attempt().leaseDeadlineNanos - GIVE_UP_AFTER.toNanos() > 0) {
			logger.warn("Gave up writing the outcome of {}: Redis could not be reached for {} after its lease ran "
					+ "out; it runs again", item.attempt(), Durations.format(GIVE_UP_AFTER));
			this.listener.givenUp(item);
			return true;
		}
		return false;
	}

	/** {@code false} when interrupted: the settler was stopped. */
	private static boolean sleep(long millis) {
		try {
			Thread.sleep(millis);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
