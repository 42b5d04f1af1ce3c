package dev.jobqueue.spring.alert;

import java.util.List;

import org.springframework.mail.MailSender;
import org.springframework.mail.SimpleMailMessage;

import dev.jobqueue.core.alert.AlertText;
import dev.jobqueue.core.alert.Alerter;
import dev.jobqueue.core.alert.DeadLetterAlert;
import dev.jobqueue.core.alert.DeadLetterSummary;

/**
 * Sends each alert as a plain-text e-mail through the application's {@link MailSender}. How long a send may take
 * is the mail sender's timeouts ({@code spring.mail.properties.mail.smtp.timeout}). Thread-safe when the sender is.
 */
public final class EmailAlerter implements Alerter {

	private final MailSender sender;

	private final String from;

	private final String[] to;

	private final String subjectPrefix;

	private final String dashboardUrl;

	public EmailAlerter(MailSender sender, String from, List<String> to, String subjectPrefix, String dashboardUrl) {
		if (to == null || to.isEmpty()) {
			throw new IllegalArgumentException("E-mail alerts need at least one recipient (jobqueue.alerts.email.to)");
		}
		this.sender = sender;
		this.from = (from != null && !from.isBlank()) ? from : null;
		this.to = to.toArray(String[]::new);
		this.subjectPrefix = (subjectPrefix != null) ? subjectPrefix : "";
		this.dashboardUrl = dashboardUrl;
	}

	@Override
	public String name() {
		return "email";
	}

	@Override
	public void send(DeadLetterAlert alert) {
		send(AlertText.subject(alert), AlertText.body(alert, this.dashboardUrl));
	}

	@Override
	public void send(DeadLetterSummary summary) {
		send(AlertText.subject(summary), AlertText.body(summary));
	}

	private void send(String subject, String text) {
		SimpleMailMessage message = new SimpleMailMessage();
		if (this.from != null) {
			message.setFrom(this.from);
		}
		message.setTo(this.to);
		message.setSubject(this.subjectPrefix + subject);
		message.setText(text);
		this.sender.send(message);
	}

}
