package dev.jobqueue.spring.builtin;

import java.util.List;

/**
 * The payload of a built-in e-mail job.
 *
 * @param to recipients, at least one
 * @param cc copy recipients, may be empty
 * @param subject the subject
 * @param text the plain-text body, or {@code null} when there is an HTML one
 * @param html the HTML body, or {@code null}; with {@code text} too, the mail carries both
 */
public record EmailMessage(List<String> to, List<String> cc, String subject, String text, String html) {

	public EmailMessage {
		to = (to != null) ? List.copyOf(to) : List.of();
		cc = (cc != null) ? List.copyOf(cc) : List.of();
	}

}
