package dev.jobqueue.spring.autoconfigure.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Dead-letter alerts under {@code jobqueue.alerts}: flood control, retries and the alerters. URLs that carry
 * tokens and signing secrets are shown masked by {@code toString} and by actuator.
 */
@ConfigurationProperties("jobqueue.alerts")
public class JobQueueAlertProperties {

	static final String MASK = "******";

	/** Whether dead-lettered jobs raise alerts. */
	private boolean enabled;

	/** Base URL of the dashboard (e.g. https://ops.example.com/jobqueue), for a link to the job in each alert. */
	private String dashboardUrl;

	/** How many alerts per job type go out one by one, and the window they are counted in. */
	private final Flood flood = new Flood();

	/** How often each alerter is tried before an alert counts as not delivered. */
	private final Retry retry = new Retry();

	/** The log alerter. */
	private final Log log = new Log();

	/** The generic webhook alerter; on when a URL is set. */
	private final Webhook webhook = new Webhook();

	/** The Slack alerter; on when an incoming-webhook URL is set. */
	private final Slack slack = new Slack();

	/** The e-mail alerter; on when recipients are set and the application has a JavaMailSender. */
	private final Email email = new Email();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getDashboardUrl() {
		return this.dashboardUrl;
	}

	public void setDashboardUrl(String dashboardUrl) {
		this.dashboardUrl = dashboardUrl;
	}

	public Flood getFlood() {
		return this.flood;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Log getLog() {
		return this.log;
	}

	public Webhook getWebhook() {
		return this.webhook;
	}

	public Slack getSlack() {
		return this.slack;
	}

	public Email getEmail() {
		return this.email;
	}

	@Override
	public String toString() {
		return "JobQueueAlertProperties[enabled=" + this.enabled + ", dashboardUrl=" + this.dashboardUrl + ", flood="
				+ this.flood + ", retry=" + this.retry + ", log=" + this.log.enabled + ", webhook=" + this.webhook
				+ ", slack=" + this.slack + ", email=" + this.email + "]";
	}

	static String mask(String secret) {
		return (secret == null || secret.isEmpty()) ? secret : MASK;
	}

	/** Flood control per job type. */
	public static class Flood {

		/** Window the alerts of one job type are counted in; a summary of those held back follows each window. */
		private Duration window = Duration.ofMinutes(5);

		/** Alerts per job type and window sent one by one before the rest are held back for the summary. */
		private int firstAlerts = 5;

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public int getFirstAlerts() {
			return this.firstAlerts;
		}

		public void setFirstAlerts(int firstAlerts) {
			this.firstAlerts = firstAlerts;
		}

		@Override
		public String toString() {
			return "[window=" + this.window + ", firstAlerts=" + this.firstAlerts + "]";
		}

	}

	/** Retries of one alerter for one alert. */
	public static class Retry {

		/** Tries per alerter and alert; after the last the alert is delivered again later from the event stream. */
		private int attempts = 3;

		/** Wait after the first failed try, doubled after each further one. */
		private Duration backOff = Duration.ofSeconds(1);

		public int getAttempts() {
			return this.attempts;
		}

		public void setAttempts(int attempts) {
			this.attempts = attempts;
		}

		public Duration getBackOff() {
			return this.backOff;
		}

		public void setBackOff(Duration backOff) {
			this.backOff = backOff;
		}

		@Override
		public String toString() {
			return "[attempts=" + this.attempts + ", backOff=" + this.backOff + "]";
		}

	}

	/** The log alerter. */
	public static class Log {

		/** Whether each alert is logged (WARN, logger dev.jobqueue.alerts). */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/** The generic webhook alerter: a JSON POST per alert. */
	public static class Webhook {

		/** URL alerts are POSTed to; may carry a token, so it is shown masked. */
		private String url;

		/** Standard Webhooks secret (whsec_ followed by base64) to sign each request with; unsigned when empty. */
		private String secret;

		/** Longest wait for a connection. */
		private Duration connectTimeout = Duration.ofSeconds(2);

		/** Longest wait for the answer to one request. */
		private Duration timeout = Duration.ofSeconds(5);

		public String getUrl() {
			return this.url;
		}

		public void setUrl(String url) {
			this.url = url;
		}

		public String getSecret() {
			return this.secret;
		}

		public void setSecret(String secret) {
			this.secret = secret;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		@Override
		public String toString() {
			return "[url=" + mask(this.url) + ", secret=" + mask(this.secret) + ", connectTimeout=" + this.connectTimeout
					+ ", timeout=" + this.timeout + "]";
		}

	}

	/** The Slack incoming-webhook alerter. */
	public static class Slack {

		/** The incoming webhook's URL; it is a secret, so it is shown masked. */
		private String webhookUrl;

		/** Channel to post to instead of the webhook's own, e.g. #ops-alerts. */
		private String channel;

		/** Longest wait for a connection and for the answer. */
		private Duration timeout = Duration.ofSeconds(5);

		public String getWebhookUrl() {
			return this.webhookUrl;
		}

		public void setWebhookUrl(String webhookUrl) {
			this.webhookUrl = webhookUrl;
		}

		public String getChannel() {
			return this.channel;
		}

		public void setChannel(String channel) {
			this.channel = channel;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		@Override
		public String toString() {
			return "[webhookUrl=" + mask(this.webhookUrl) + ", channel=" + this.channel + ", timeout=" + this.timeout + "]";
		}

	}

	/** The e-mail alerter, through the application's JavaMailSender. */
	public static class Email {

		/** Sender address; the mail sender's default when empty. */
		private String from;

		/** Recipients of each alert. */
		private List<String> to = new ArrayList<>();

		/** Put in front of every subject. */
		private String subjectPrefix = "[jobqueue] ";

		public String getFrom() {
			return this.from;
		}

		public void setFrom(String from) {
			this.from = from;
		}

		public List<String> getTo() {
			return this.to;
		}

		public void setTo(List<String> to) {
			this.to = to;
		}

		public String getSubjectPrefix() {
			return this.subjectPrefix;
		}

		public void setSubjectPrefix(String subjectPrefix) {
			this.subjectPrefix = subjectPrefix;
		}

		@Override
		public String toString() {
			return "[from=" + this.from + ", to=" + this.to + ", subjectPrefix=" + this.subjectPrefix + "]";
		}

	}

}
