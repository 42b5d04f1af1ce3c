package dev.jobqueue.spring.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.job.BackOff;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.webhook.StandardWebhooksSigner;
import dev.jobqueue.core.worker.NonRetryableJobException;

/**
 * The built-in webhook job: makes the request a {@link WebhookRequest} describes with the JDK {@code HttpClient},
 * signed with Standard Webhooks when a secret is configured (the {@code webhook-id} is the job id, the same on
 * every retry, so the receiver can drop repeats). A 2xx answer completes the job with the status and latency;
 * 408, 429, 5xx, timeouts and connection failures are retried with back-off ({@link #backOff}, which honours
 * {@code Retry-After}); any other answer dead-letters the job at once. Redirects are not followed. Thread-safe.
 */
public class WebhookJobHandler {

	private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

	private final HttpClient client;

	private final Duration timeout;

	private final StandardWebhooksSigner signer;

	private final PayloadCodec codec;

	/**
	 * @param secret a Standard Webhooks secret ({@code whsec_...}), or {@code null} to send unsigned
	 */
	public WebhookJobHandler(Duration connectTimeout, Duration timeout, String secret, PayloadCodec codec) {
		this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.timeout = timeout;
		this.signer = (secret != null && !secret.isBlank()) ? new StandardWebhooksSigner(secret) : null;
		this.codec = codec;
	}

	/**
	 * A back-off that waits as long as the endpoint's {@code Retry-After} asked (at most {@code maxRetryAfter}),
	 * and otherwise as {@code fallback} says.
	 */
	public static BackOff backOff(BackOff fallback, Duration maxRetryAfter) {
		return BackOff.custom((retry, error) -> {
			if (error instanceof WebhookDeliveryException delivery && delivery.retryAfter() != null) {
				return (delivery.retryAfter().compareTo(maxRetryAfter) > 0) ? maxRetryAfter : delivery.retryAfter();
			}
			return fallback.delay(retry, error);
		});
	}

	public WebhookResult deliver(WebhookRequest request, JobContext context) throws InterruptedException {
		HttpRequest http = request(request, context.jobId());
		long started = System.nanoTime();
		HttpResponse<InputStream> response;
		try {
			// The body is not needed: closing it unread bounds the call by the timeout, which ends at the headers,
			// whatever the endpoint sends after them (gigabytes, or a byte a minute).
			response = this.client.send(http, HttpResponse.BodyHandlers.ofInputStream());
			response.body().close();
		}
		catch (IOException ex) {
			throw new WebhookDeliveryException(request.method() + " " + target(http.uri()) + " failed after "
					+ millisSince(started) + " ms: " + ex, 0, null, ex);
		}
		long latency = millisSince(started);
		int status = response.statusCode();
		if (status / 100 == 2) {
			return new WebhookResult(status, latency);
		}
		String message = request.method() + " " + target(http.uri()) + " answered " + status + " after " + latency + " ms";
		if (status == 408 || status == 429 || status / 100 == 5) {
			throw new WebhookDeliveryException(message, status,
					retryAfter(response.headers().firstValue("Retry-After").orElse(null), Instant.now()), null);
		}
		throw new NonRetryableJobException(message);
	}

	private HttpRequest request(WebhookRequest request, String id) {
		URI uri;
		try {
			uri = URI.create(String.valueOf(request.url()).trim());
		}
		catch (IllegalArgumentException ex) {
			// Not the URL itself, nor the JDK's message quoting it: its path or query may hold a token.
			String reason = (ex.getCause() instanceof URISyntaxException syntax)
					? syntax.getReason() + " at index " + syntax.getIndex() : "unreadable";
			throw new NonRetryableJobException("The webhook URL is not a URL: " + reason);
		}
		if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
			throw new NonRetryableJobException("A webhook URL must be http or https, not " + uri.getScheme());
		}
		if (!METHODS.contains(request.method())) {
			throw new NonRetryableJobException("A webhook method must be one of " + METHODS + ", not " + request.method());
		}
		byte[] body = (request.body() != null) ? this.codec.write(request.body()).getBytes(StandardCharsets.UTF_8)
				: new byte[0];
		HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(this.timeout)
			.method(request.method(), (request.body() != null) ? HttpRequest.BodyPublishers.ofByteArray(body)
					: HttpRequest.BodyPublishers.noBody());
		try {
			if (request.body() != null) {
				builder.header("Content-Type", "application/json");
			}
			request.headers().forEach((name, value) -> header(builder, name, value));
			if (this.signer != null) {
				Map<String, String> signature = this.signer.headers(id, Instant.now(), body);
				signature.forEach(builder::setHeader);
			}
		}
		catch (IllegalArgumentException ex) {
			// Restricted (Host, Content-Length...) or malformed header names never work.
			throw new NonRetryableJobException("A webhook header is refused: " + ex.getMessage());
		}
		return builder.build();
	}

	/** The JDK's message for a bad header quotes its value, which may be a credential: only the name is told. */
	private static void header(HttpRequest.Builder builder, String name, String value) {
		try {
			builder.setHeader(name, value);
		}
		catch (IllegalArgumentException ex) {
			throw new NonRetryableJobException("A webhook header is refused (restricted name, or a line break or "
					+ "control character in its value): " + name);
		}
	}

	/** {@code Retry-After} as seconds or an HTTP date; {@code null} when absent or unreadable. */
	static Duration retryAfter(String value, Instant now) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.trim();
		if (trimmed.chars().allMatch(Character::isDigit) && trimmed.length() < 10) {
			return Duration.ofSeconds(Long.parseLong(trimmed));
		}
		try {
			Duration until = Duration.between(now, ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
			return until.isNegative() ? Duration.ZERO : until;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/**
	 * Scheme, host and port only, as the alerters show a URL: a path (Slack's, say) or query may carry a token, and
	 * this message becomes the job's error, which alerts send on.
	 */
	private static String target(URI uri) {
		return uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() > 0) ? ":" + uri.getPort() : "") + "/******";
	}

	private static long millisSince(long started) {
		return (System.nanoTime() - started) / 1_000_000;
	}

	@Override
	public String toString() {
		return "WebhookJobHandler[timeout=" + this.timeout + ((this.signer != null) ? ", signed" : "") + "]";
	}

}
