package dev.jobqueue.spring.builtin;

import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/** A mail sender that keeps the messages it is given instead of talking to a server. */
public final class RecordingMailSender implements JavaMailSender {

	public final List<SimpleMailMessage> simple = new CopyOnWriteArrayList<>();

	public final List<MimeMessage> mime = new CopyOnWriteArrayList<>();

	private final Session session = Session.getInstance(new Properties());

	@Override
	public MimeMessage createMimeMessage() {
		return new MimeMessage(this.session);
	}

	@Override
	public MimeMessage createMimeMessage(InputStream contentStream) {
		try {
			return new MimeMessage(this.session, contentStream);
		}
		catch (MessagingException ex) {
			throw new MailSendException("unreadable", ex);
		}
	}

	@Override
	public void send(MimeMessage... mimeMessages) {
		this.mime.addAll(List.of(mimeMessages));
	}

	@Override
	public void send(SimpleMailMessage... simpleMessages) {
		this.simple.addAll(List.of(simpleMessages));
	}

}
