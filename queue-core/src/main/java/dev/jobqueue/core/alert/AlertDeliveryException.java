package dev.jobqueue.core.alert;

import java.util.List;

/**
 * An alert did not reach every alerter after its retries. The caller leaves the alert's event unacknowledged
 * so it is delivered again; alerters it already reached are not called again. The failures are attached as
 * suppressed exceptions.
 */
public class AlertDeliveryException extends RuntimeException {

	private final List<String> failedAlerters;

	public AlertDeliveryException(String alertId, List<String> failedAlerters) {
		super("Alert " + alertId + " did not reach " + failedAlerters);
		this.failedAlerters = List.copyOf(failedAlerters);
	}

	public List<String> failedAlerters() {
		return this.failedAlerters;
	}

}
