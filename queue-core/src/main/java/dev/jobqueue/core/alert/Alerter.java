package dev.jobqueue.core.alert;

/**
 * Tells people that jobs were dead-lettered (a log line, a webhook, a Slack message, an e-mail). Called by
 * {@link AlertDispatcher} on its own thread, never a worker's; throwing means not delivered, and the
 * dispatcher retries. Implementations must bound how long a call may take (a timeout) and be thread-safe.
 */
public interface Alerter {

	/** A short name, unique among an application's alerters; it is remembered in Redis once an alert reached it. */
	String name();

	/** Sends one alert. */
	void send(DeadLetterAlert alert) throws Exception;

	/** Sends the summary of the alerts flood control held back in one window. */
	void send(DeadLetterSummary summary) throws Exception;

}
