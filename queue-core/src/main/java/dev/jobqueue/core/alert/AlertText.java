package dev.jobqueue.core.alert;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The words alerters put in front of people, so a log line, a Slack message and an e-mail say the same thing.
 * A dashboard link is added when a dashboard URL is known. Stateless.
 */
public final class AlertText {

	/** Errors are cut here: a stack trace in a Slack message helps nobody. */
	static final int MAX_ERROR = 1000;

	private AlertText() {
	}

	/** "Job charge_card 01H... dead-lettered on queue payments after 4 attempts". */
	public static String subject(DeadLetterAlert alert) {
		return "Job " + alert.jobType() + " " + alert.jobId() + " dead-lettered on queue " + alert.queue() + " after "
				+ alert.attempts() + ((alert.attempts() == 1) ? " attempt" : " attempts");
	}

	/** "312 more charge_card jobs dead-lettered in the last 5 min". */
	public static String subject(DeadLetterSummary summary) {
		return summary.heldBack() + " more " + summary.jobType() + " jobs dead-lettered in the last "
				+ duration(summary.window());
	}

	/** Several lines: job id, type, queue, attempts, error, and the dashboard link when there is one. */
	public static String body(DeadLetterAlert alert, String dashboardUrl) {
		StringBuilder text = new StringBuilder().append("Job id: ").append(alert.jobId()).append('\n')
			.append("Type: ").append(alert.jobType()).append('\n')
			.append("Queue: ").append(alert.queue()).append('\n')
			.append("Attempts: ").append(alert.attempts()).append('\n')
			.append("Error: ").append(error(alert.error())).append('\n');
		String link = jobLink(dashboardUrl, alert);
		if (link != null) {
			text.append("Dashboard: ").append(link).append('\n');
		}
		return text.toString();
	}

	/** The subject, then the latest error. */
	public static String body(DeadLetterSummary summary) {
		return subject(summary) + ", latest error: " + error(summary.latestError()) + "\n";
	}

	/** The job's page on the dashboard, or {@code null} when no dashboard URL is configured. */
	public static String jobLink(String dashboardUrl, DeadLetterAlert alert) {
		if (dashboardUrl == null || dashboardUrl.isBlank()) {
			return null;
		}
		String base = dashboardUrl.endsWith("/") ? dashboardUrl.substring(0, dashboardUrl.length() - 1) : dashboardUrl;
		return base + "/job?queue=" + URLEncoder.encode(alert.queue(), StandardCharsets.UTF_8) + "&id="
				+ URLEncoder.encode(alert.jobId(), StandardCharsets.UTF_8);
	}

	static String error(String error) {
		if (error == null || error.isBlank()) {
			return "(no message)";
		}
		return (error.length() > MAX_ERROR) ? error.substring(0, MAX_ERROR) + "..." : error;
	}

	static String duration(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds >= 3600 && seconds % 3600 == 0) {
			return (seconds / 3600) + " h";
		}
		if (seconds >= 60 && seconds % 60 == 0) {
			return (seconds / 60) + " min";
		}
		return (seconds > 0) ? seconds + " s" : duration.toMillis() + " ms";
	}

}
