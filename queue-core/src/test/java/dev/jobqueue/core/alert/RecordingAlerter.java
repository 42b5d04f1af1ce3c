package dev.jobqueue.core.alert;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps what it is sent; fails the first {@code failures} calls. */
final class RecordingAlerter implements Alerter {

	private final String name;

	private final AtomicInteger failures;

	final AtomicInteger calls = new AtomicInteger();

	final List<DeadLetterAlert> alerts = new CopyOnWriteArrayList<>();

	final List<DeadLetterSummary> summaries = new CopyOnWriteArrayList<>();

	RecordingAlerter(String name, int failures) {
		this.name = name;
		this.failures = new AtomicInteger(failures);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public void send(DeadLetterAlert alert) {
		this.calls.incrementAndGet();
		failMaybe();
		this.alerts.add(alert);
	}

	@Override
	public void send(DeadLetterSummary summary) {
		this.calls.incrementAndGet();
		failMaybe();
		this.summaries.add(summary);
	}

	private void failMaybe() {
		if (this.failures.getAndDecrement() > 0) {
			throw new IllegalStateException(this.name + " is down");
		}
	}

	List<DeadLetterAlert> alertsOf(String type) {
		return this.alerts.stream().filter((alert) -> alert.jobType().equals(type)).toList();
	}

}
