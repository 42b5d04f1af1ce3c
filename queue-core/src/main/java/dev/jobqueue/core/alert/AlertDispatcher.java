package dev.jobqueue.core.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.redis.RedisKeys;
import redis.clients.jedis.UnifiedJedis;

/**
 * Hands dead-letter alerts to every alerter, under flood control, retrying each alerter with back-off.
 * {@link #deadLettered} runs on the caller's thread (the alert consumer's, never a worker's) and throws
 * {@link AlertDeliveryException} when an alerter still failed: the caller then leaves the alert's event
 * unacknowledged, and on redelivery (to this JVM or another) the alerters it already reached are skipped and
 * the flood decision is the same. Once {@link #start() started}, one thread sends the summary of each ended
 * window; of several JVMs exactly one sends each summary. Thread-safe.
 */
public final class AlertDispatcher implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(AlertDispatcher.class);

	private final List<Alerter> alerters;

	private final FloodControl flood;

	private final AlertSettings settings;

	private ScheduledExecutorService flusher;

	public AlertDispatcher(UnifiedJedis redis, String prefix, List<Alerter> alerters, AlertSettings settings) {
		this.alerters = List.copyOf(alerters);
		Set<String> names = new HashSet<>();
		for (Alerter alerter : this.alerters) {
			RedisKeys.check(alerter.name(), "alerter name");
			if (!names.add(alerter.name())) {
				throw new IllegalArgumentException("Two alerters are named '" + alerter.name() + "'");
			}
		}
		this.settings = settings;
		this.flood = new FloodControl(redis, prefix, settings.floodWindow(), settings.firstN());
	}

	public List<Alerter> alerters() {
		return this.alerters;
	}

	/**
	 * Sends {@code alert} to every alerter that does not have it yet, unless flood control holds it back for the
	 * window's summary.
	 *
	 * @throws AlertDeliveryException when an alerter still failed after its retries
	 */
	public void deadLettered(DeadLetterAlert alert) {
		FloodControl.Admission admission = this.flood.admit(alert);
		if (!admission.send()) {
			return;
		}
		List<String> failed = new ArrayList<>();
		List<Exception> failures = new ArrayList<>();
		for (Alerter alerter : this.alerters) {
			if (admission.reached().contains(alerter.name())) {
				continue;
			}
			// A redelivery is itself the slow retry (the stream's claim interval): one try, no back-off, so that an
			// alerter that stays down does not hold the relay's thread for each pending alert, ahead of new ones.
			Exception failure = deliver(alerter, alert.id(), admission.redelivered() ? 1 : this.settings.attempts(),
					() -> alerter.send(alert));
			if (failure == null) {
				this.flood.reached(alert, alerter.name());
			}
			else {
				failed.add(alerter.name());
				failures.add(failure);
			}
		}
		if (!failed.isEmpty()) {
			AlertDeliveryException ex = new AlertDeliveryException(alert.id(), failed);
			failures.forEach(ex::addSuppressed);
			throw ex;
		}
	}

	/**
	 * Sends the summaries of the windows that ended, once across all JVMs; a summary no alerter took after its
	 * retries is logged, not sent again.
	 *
	 * @return the summaries taken
	 */
	public List<DeadLetterSummary> flushSummaries() {
		List<DeadLetterSummary> summaries = this.flood.takeEndedWindows();
		for (DeadLetterSummary summary : summaries) {
			for (Alerter alerter : this.alerters) {
				Exception failure = deliver(alerter, summary.id(), this.settings.attempts(), () -> alerter.send(summary));
				if (failure != null) {
					logger.error("The summary {} did not reach alerter '{}': {}", summary.id(), alerter.name(),
							failure.toString());
				}
			}
		}
		return summaries;
	}

	/** Starts the thread that sends summaries shortly after each window ends (a few times per window). */
	public synchronized AlertDispatcher start() {
		if (this.flusher == null) {
			this.flusher = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "jobqueue-alert-summaries");
				thread.setDaemon(true);
				return thread;
			});
			long period = Math.max(100, Math.min(1000, this.settings.floodWindow().toMillis() / 4));
			this.flusher.scheduleWithFixedDelay(this::flushQuietly, period, period, TimeUnit.MILLISECONDS);
		}
		return this;
	}

	private void flushQuietly() {
		try {
			flushSummaries();
		}
		catch (RuntimeException ex) {
			// Redis down: the windows stay due and the next run takes them.
			logger.warn("Could not take the ended alert windows: {}", ex.toString());
		}
	}

	@Override
	public synchronized void close() {
		if (this.flusher != null) {
			this.flusher.shutdownNow();
			this.flusher = null;
		}
	}

	private interface Send {

		void run() throws Exception;

	}

	/** Tries {@code send} up to {@code attempts} times; returns the last failure, or {@code null} once it worked. */
	private Exception deliver(Alerter alerter, String id, int attempts, Send send) {
		Duration wait = this.settings.backOff();
		Exception last = null;
		for (int attempt = 1; attempt <= attempts; attempt++) {
			try {
				send.run();
				return null;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return ex;
			}
			catch (Exception ex) {
				last = ex;
				logger.warn("Alert {} did not reach alerter '{}' (try {} of {}): {}", id, alerter.name(), attempt, attempts,
						ex.toString());
			}
			if (attempt < attempts) {
				try {
					Thread.sleep(wait.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return ex;
				}
				wait = wait.multipliedBy(2);
			}
		}
		return last;
	}

}
