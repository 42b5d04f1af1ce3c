package dev.jobqueue.core.alert;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Posts each alert to a Slack incoming webhook as a readable message: job id, type, queue, attempts, error and
 * a dashboard link when one is configured. The webhook URL is a secret and is never shown. One request per
 * call, bounded by the timeout; retries are the {@link AlertDispatcher}'s. Thread-safe.
 */
public final class SlackAlerter implements Alerter {

	private final JsonPost post;

	private final String channel;

	private final String dashboardUrl;

	/**
	 * @param webhookUrl the incoming webhook's URL
	 * @param channel the channel to post to instead of the webhook's own, or {@code null}
	 * @param timeout longest wait for the whole answer (and for a connection)
	 * @param dashboardUrl the dashboard's base URL for links, or {@code null}
	 */
	public SlackAlerter(String webhookUrl, String channel, Duration timeout, String dashboardUrl) {
		this.post = new JsonPost(webhookUrl, timeout, timeout);
		this.channel = (channel != null && !channel.isBlank()) ? channel : null;
		this.dashboardUrl = dashboardUrl;
	}

	@Override
	public String name() {
		return "slack";
	}

	@Override
	public void send(DeadLetterAlert alert) throws Exception {
		StringBuilder text = new StringBuilder(":rotating_light: Job `").append(escape(alert.jobType()))
			.append("` dead-lettered on queue `").append(escape(alert.queue())).append("` after ")
			.append(alert.attempts()).append((alert.attempts() == 1) ? " attempt" : " attempts").append('\n')
			.append("*Job id:* `").append(escape(alert.jobId())).append("`\n")
			.append("*Error:* ```").append(escape(AlertText.error(alert.error()))).append("```");
		String link = AlertText.jobLink(this.dashboardUrl, alert);
		if (link != null) {
			text.append("\n<").append(link).append("|Open in the dashboard>");
		}
		post(text.toString());
	}

	@Override
	public void send(DeadLetterSummary summary) throws Exception {
		post(":rotating_light: " + summary.heldBack() + " more `" + escape(summary.jobType())
				+ "` jobs dead-lettered in the last " + AlertText.duration(summary.window()) + ", latest error: ```"
				+ escape(AlertText.error(summary.latestError())) + "```");
	}

	private void post(String text) throws Exception {
		Map<String, Object> body = new LinkedHashMap<>();
		if (this.channel != null) {
			body.put("channel", this.channel);
		}
		body.put("text", text);
		this.post.post(JsonPost.toJson(body), Map.of());
	}

	/** Slack reads {@code & < >} as markup: an error message must not turn into a link or a mention. */
	static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	@Override
	public String toString() {
		return "SlackAlerter[" + this.post.target() + ((this.channel != null) ? ", " + this.channel : "") + "]";
	}

}
