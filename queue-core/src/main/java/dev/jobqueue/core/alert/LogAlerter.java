package dev.jobqueue.core.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each alert as one WARN line to the {@code dev.jobqueue.alerts} logger. Never fails; thread-safe. */
public final class LogAlerter implements Alerter {

	private static final Logger logger = LoggerFactory.getLogger("dev.jobqueue.alerts");

	private final String dashboardUrl;

	/** @param dashboardUrl the dashboard's base URL for links, or {@code null} */
	public LogAlerter(String dashboardUrl) {
		this.dashboardUrl = dashboardUrl;
	}

	@Override
	public String name() {
		return "log";
	}

	@Override
	public void send(DeadLetterAlert alert) {
		String link = AlertText.jobLink(this.dashboardUrl, alert);
		logger.warn("{}: {}{}", AlertText.subject(alert), AlertText.error(alert.error()),
				(link != null) ? " (" + link + ")" : "");
	}

	@Override
	public void send(DeadLetterSummary summary) {
		logger.warn("{}", AlertText.body(summary).strip());
	}

}
