package dev.jobqueue.core.alert;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * POSTs a JSON body to one URL with a connect and a request timeout, and fails on anything but 2xx. The URL
 * may carry a token (Slack's does), so it never appears in a message or {@code toString}. Thread-safe.
 */
final class JsonPost {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final URI url;

	private final Duration timeout;

	private final HttpClient client;

	JsonPost(String url, Duration connectTimeout, Duration timeout) {
		if (url == null || url.isBlank()) {
			throw new IllegalArgumentException("An alert URL must not be empty");
		}
		this.url = URI.create(url.trim());
		if (!"http".equals(this.url.getScheme()) && !"https".equals(this.url.getScheme())) {
			throw new IllegalArgumentException("An alert URL must be http or https");
		}
		this.timeout = timeout;
		this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	static byte[] toJson(Object body) {
		return json.writeValueAsBytes(body);
	}

	/** Sends {@code body} with {@code headers}; returns the status of a 2xx answer and throws otherwise. */
	int post(byte[] body, Map<String, String> headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.url).timeout(this.timeout)
			.header("Content-Type", "application/json")
			.header("User-Agent", "jobqueue-alerts")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		headers.forEach(request::header);
		HttpResponse<Void> response = this.client.send(request.build(), HttpResponse.BodyHandlers.discarding());
		if (response.statusCode() / 100 != 2) {
			throw new IOException("The alert endpoint answered " + response.statusCode());
		}
		return response.statusCode();
	}

	/** Scheme, host and port only: the path and query may hold a token. */
	String target() {
		return this.url.getScheme() + "://" + this.url.getHost() + ((this.url.getPort() > 0) ? ":" + this.url.getPort() : "")
				+ "/******";
	}

}
