package dev.jobqueue.spring.builtin;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

import dev.jobqueue.core.worker.NonRetryableJobException;

/**
 * The built-in e-mail job: sends an {@link EmailMessage} through the application's {@link JavaMailSender}, as
 * plain text, HTML, or both. A message that cannot be built (no recipient, no body, a bad address) dead-letters
 * at once; a failed send (server down, refused for now) is retried with the job's back-off. Thread-safe when
 * the sender is.
 */
public class EmailJobHandler {

	private final JavaMailSender sender;

	private final String from;

	/** @param from the sender address, or {@code null} for the mail sender's default */
	public EmailJobHandler(JavaMailSender sender, String from) {
		this.sender = sender;
		this.from = (from != null && !from.isBlank()) ? from : null;
	}

	public void send(EmailMessage message) throws MessagingException {
		if (message.to().isEmpty()) {
			throw new NonRetryableJobException("An e-mail job needs at least one recipient in 'to'");
		}
		if (message.subject() == null || (message.text() == null && message.html() == null)) {
			throw new NonRetryableJobException("An e-mail job needs a subject and a text or html body");
		}
		try {
			if (message.html() == null) {
				this.sender.send(simple(message));
			}
			else {
				this.sender.send(mime(message));
			}
		}
		catch (MailParseException | MailPreparationException | MailAuthenticationException ex) {
			throw new NonRetryableJobException("The e-mail cannot be sent: " + ex.getMessage(), ex);
		}
	}

	private SimpleMailMessage simple(EmailMessage message) {
		SimpleMailMessage mail = new SimpleMailMessage();
		if (this.from != null) {
			mail.setFrom(this.from);
		}
		mail.setTo(message.to().toArray(String[]::new));
		if (!message.cc().isEmpty()) {
			mail.setCc(message.cc().toArray(String[]::new));
		}
		mail.setSubject(message.subject());
		mail.setText(message.text());
		return mail;
	}

	private MimeMessage mime(EmailMessage message) {
		MimeMessage mail = this.sender.createMimeMessage();
		try {
			MimeMessageHelper helper = new MimeMessageHelper(mail, message.text() != null, "UTF-8");
			if (this.from != null) {
				helper.setFrom(this.from);
			}
			helper.setTo(message.to().toArray(String[]::new));
			if (!message.cc().isEmpty()) {
				helper.setCc(message.cc().toArray(String[]::new));
			}
			helper.setSubject(message.subject());
			if (message.text() != null) {
				helper.setText(message.text(), message.html());
			}
			else {
				helper.setText(message.html(), true);
			}
		}
		catch (MessagingException ex) {
			throw new NonRetryableJobException("The e-mail cannot be built: " + ex.getMessage(), ex);
		}
		return mail;
	}

}
