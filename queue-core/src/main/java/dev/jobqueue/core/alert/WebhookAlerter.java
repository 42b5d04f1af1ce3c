package dev.jobqueue.core.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.jobqueue.core.webhook.StandardWebhooksSigner;

/**
 * POSTs each alert as JSON ({@code "type": "job.dead_lettered"} or {@code "job.dead_lettered.summary"}) to one
 * URL, signed with Standard Webhooks when a secret is given; the {@code webhook-id} stays the same for every
 * delivery of one alert, so the receiver can drop repeats. One request per call, bounded by the timeout;
 * retries are the {@link AlertDispatcher}'s. Thread-safe.
 */
public final class WebhookAlerter implements Alerter {

	private final JsonPost post;

	private final StandardWebhooksSigner signer;

	private final String dashboardUrl;

	/**
	 * @param url where to POST
	 * @param secret a Standard Webhooks secret ({@code whsec_...}), or {@code null} to send unsigned
	 * @param connectTimeout longest wait for a connection
	 * @param timeout longest wait for the whole answer
	 * @param dashboardUrl the dashboard's base URL for links, or {@code null}
	 */
	public WebhookAlerter(String url, String secret, Duration connectTimeout, Duration timeout, String dashboardUrl) {
		this.post = new JsonPost(url, connectTimeout, timeout);
		this.signer = (secret != null && !secret.isBlank()) ? new StandardWebhooksSigner(secret) : null;
		this.dashboardUrl = dashboardUrl;
	}

	@Override
	public String name() {
		return "webhook";
	}

	@Override
	public void send(DeadLetterAlert alert) throws Exception {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", "job.dead_lettered");
		body.put("jobId", alert.jobId());
		body.put("jobType", alert.jobType());
		body.put("queue", alert.queue());
		body.put("error", alert.error());
		body.put("attempts", alert.attempts());
		body.put("at", alert.at().toString());
		String link = AlertText.jobLink(this.dashboardUrl, alert);
		if (link != null) {
			body.put("dashboardUrl", link);
		}
		post(alert.id(), body);
	}

	@Override
	public void send(DeadLetterSummary summary) throws Exception {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", "job.dead_lettered.summary");
		body.put("jobType", summary.jobType());
		body.put("count", summary.heldBack());
		body.put("windowSeconds", summary.window().toSeconds());
		body.put("windowEnd", summary.windowEnd().toString());
		body.put("latestError", summary.latestError());
		body.put("text", AlertText.subject(summary));
		post(summary.id(), body);
	}

	private void post(String id, Map<String, Object> body) throws Exception {
		byte[] bytes = JsonPost.toJson(body);
		this.post.post(bytes, (this.signer != null) ? this.signer.headers(id, Instant.now(), bytes) : Map.of());
	}

	@Override
	public String toString() {
		return "WebhookAlerter[" + this.post.target() + ((this.signer != null) ? ", signed" : "") + "]";
	}

}
