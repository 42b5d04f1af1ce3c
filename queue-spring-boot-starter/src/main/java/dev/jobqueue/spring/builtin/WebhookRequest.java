package dev.jobqueue.spring.builtin;

import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * The payload of a built-in webhook job: one HTTP request to make.
 *
 * @param url where to send it (http or https)
 * @param method the HTTP method, POST when empty
 * @param headers extra request headers
 * @param body the JSON body, or {@code null} for none
 */
public record WebhookRequest(String url, String method, Map<String, String> headers, JsonNode body) {

	public WebhookRequest {
		headers = (headers != null) ? Map.copyOf(headers) : Map.of();
		method = (method == null || method.isBlank()) ? "POST" : method.trim().toUpperCase(Locale.ROOT);
	}

	/** A POST of {@code body} to {@code url}. */
	public static WebhookRequest post(String url, JsonNode body) {
		return new WebhookRequest(url, "POST", Map.of(), body);
	}

}
