package dev.jobqueue.core.monitor;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.worker.JobExecutionListener;

/**
 * Counts finished attempts per queue in memory and adds them to {@link ThroughputCounters} once per
 * flush interval, so recording costs one Redis call per queue and interval, not one per job. Counts
 * that cannot be written (Redis down) are kept for the next flush; counts not yet flushed are lost
 * if the process dies. Thread-safe; listener methods never block on Redis.
 */
public final class QueueMetricsRecorder implements JobExecutionListener, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(QueueMetricsRecorder.class);

	private record Counts(LongAdder processed, LongAdder failed) {
	}

	private final ThroughputCounters counters;

	private final Map<String, Counts> pending = new ConcurrentHashMap<>();

	private ScheduledExecutorService flusher;

	public QueueMetricsRecorder(ThroughputCounters counters) {
		this.counters = counters;
	}

	/** Flushes every {@code interval} on a daemon thread of its own until {@link #close()}. */
	public synchronized QueueMetricsRecorder start(Duration interval) {
		if (this.flusher == null) {
			this.flusher = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "jobqueue-metrics-flush");
				thread.setDaemon(true);
				return thread;
			});
			this.flusher.scheduleWithFixedDelay(this::flushQuietly, interval.toMillis(), interval.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		return this;
	}

	@Override
	public void onCompleted(LeasedJob job, Duration took) {
		counts(job.queue()).processed().increment();
	}

	@Override
	public void onRetrying(LeasedJob job, Throwable error, Duration retryDelay, Duration took) {
		counts(job.queue()).failed().increment();
	}

	@Override
	public void onDeadLettered(LeasedJob job, Throwable error, Duration took) {
		counts(job.queue()).failed().increment();
	}

	/** Writes the counts gathered since the last flush; throws when Redis cannot take them (they are kept). */
	public void flush() {
		for (Map.Entry<String, Counts> entry : this.pending.entrySet()) {
			long processed = entry.getValue().processed().sumThenReset();
			long failed = entry.getValue().failed().sumThenReset();
			if (processed == 0 && failed == 0) {
				continue;
			}
			try {
				this.counters.add(entry.getKey(), processed, failed);
			}
			catch (RuntimeException ex) {
				entry.getValue().processed().add(processed);
				entry.getValue().failed().add(failed);
				throw ex;
			}
		}
	}

	/** Stops the flushing thread and writes what is left, if Redis takes it. */
	@Override
	public synchronized void close() {
		if (this.flusher != null) {
			this.flusher.shutdownNow();
			this.flusher = null;
		}
		flushQuietly();
	}

	private void flushQuietly() {
		try {
			flush();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not write job counts to Redis; keeping them for the next try", ex);
		}
	}

	private Counts counts(String queue) {
		return this.pending.computeIfAbsent(queue, (name) -> new Counts(new LongAdder(), new LongAdder()));
	}

}
