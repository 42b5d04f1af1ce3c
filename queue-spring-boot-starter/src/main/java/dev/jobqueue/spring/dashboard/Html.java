package dev.jobqueue.spring.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Builds HTML text. Everything passed to {@link #text} is escaped; only {@link #raw} takes markup,
 * and callers pass it constants. Not thread-safe; one per response.
 */
final class Html {

	private final StringBuilder out = new StringBuilder(8192);

	Html raw(String markup) {
		this.out.append(markup);
		return this;
	}

	Html text(Object value) {
		this.out.append(escape(value));
		return this;
	}

	/** Text with the markup around it, e.g. {@code tag("td", count)}. */
	Html tag(String name, Object value) {
		return raw("<" + name + ">").text(value).raw("</" + name + ">");
	}

	@Override
	public String toString() {
		return this.out.toString();
	}

	/** Escapes for element content and quoted attribute values alike. */
	static String escape(Object value) {
		if (value == null) {
			return "";
		}
		String text = String.valueOf(value);
		StringBuilder escaped = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			String replacement = switch (c) {
				case '<' -> "&lt;";
				case '>' -> "&gt;";
				case '&' -> "&amp;";
				case '"' -> "&quot;";
				case '\'' -> "&#39;";
				default -> null;
			};
			if (replacement != null && escaped == null) {
				escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
			}
			if (escaped != null) {
				if (replacement != null) {
					escaped.append(replacement);
				}
				else {
					escaped.append(c);
				}
			}
		}
		return (escaped != null) ? escaped.toString() : text;
	}

	/** A query parameter value, encoded for a URL (then still escaped where it lands in HTML). */
	static String param(Object value) {
		return URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8);
	}

}
