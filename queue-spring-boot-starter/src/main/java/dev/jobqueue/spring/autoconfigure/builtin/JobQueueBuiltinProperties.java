package dev.jobqueue.spring.autoconfigure.builtin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Ready-made job types under {@code jobqueue.builtin}, each off until enabled. The webhook secret is shown masked. */
@ConfigurationProperties("jobqueue.builtin")
public class JobQueueBuiltinProperties {

	/** Outbound webhook delivery. */
	private final Webhook webhook = new Webhook();

	/** E-mail delivery through the application's JavaMailSender. */
	private final Email email = new Email();

	public Webhook getWebhook() {
		return this.webhook;
	}

	public Email getEmail() {
		return this.email;
	}

	@Override
	public String toString() {
		return "JobQueueBuiltinProperties[webhook=" + this.webhook + ", email=" + this.email + "]";
	}

	/** Settings every built-in job type has. */
	public abstract static class JobType {

		/** Whether the job type is registered. */
		private boolean enabled;

		/** Queue the jobs run on; the default queue when empty. */
		private String queue;

		/** Retries after the first failed attempt before the job is dead-lettered. */
		private int maxRetries = 8;

		/** Wait before the first retry, doubled for each further one. */
		private Duration backOff = Duration.ofSeconds(10);

		/** Longest wait between two retries. */
		private Duration maxBackOff = Duration.ofHours(1);

		/** The job type name jobs are dispatched with. */
		public abstract String getType();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getQueue() {
			return this.queue;
		}

		public void setQueue(String queue) {
			this.queue = queue;
		}

		public int getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getBackOff() {
			return this.backOff;
		}

		public void setBackOff(Duration backOff) {
			this.backOff = backOff;
		}

		public Duration getMaxBackOff() {
			return this.maxBackOff;
		}

		public void setMaxBackOff(Duration maxBackOff) {
			this.maxBackOff = maxBackOff;
		}

		@Override
		public String toString() {
			return "enabled=" + this.enabled + ", queue=" + this.queue + ", maxRetries=" + this.maxRetries + ", backOff="
					+ this.backOff + ", maxBackOff=" + this.maxBackOff;
		}

	}

	/** The webhook job type. */
	public static class Webhook extends JobType {

		/** Job type name to dispatch webhook requests with. */
		private String type = "jobqueue.webhook";

		/** Standard Webhooks secret (whsec_ followed by base64) every request is signed with; unsigned when empty. */
		private String secret;

		/** Longest wait for a connection. */
		private Duration connectTimeout = Duration.ofSeconds(5);

		/** Longest wait for the answer to one request; past it the attempt is retried. */
		private Duration timeout = Duration.ofSeconds(30);

		/** Longest Retry-After honoured; an endpoint asking for more waits this long. */
		private Duration maxRetryAfter = Duration.ofHours(1);

		@Override
		public String getType() {
			return this.type;
		}

		public void setType(String type) {
			this.type = type;
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

		public Duration getMaxRetryAfter() {
			return this.maxRetryAfter;
		}

		public void setMaxRetryAfter(Duration maxRetryAfter) {
			this.maxRetryAfter = maxRetryAfter;
		}

		@Override
		public String toString() {
			return "[type=" + this.type + ", " + super.toString() + ", secret="
					+ ((this.secret == null || this.secret.isEmpty()) ? this.secret : "******") + ", connectTimeout="
					+ this.connectTimeout + ", timeout=" + this.timeout + ", maxRetryAfter=" + this.maxRetryAfter + "]";
		}

	}

	/** The e-mail job type. */
	public static class Email extends JobType {

		/** Job type name to dispatch e-mails with. */
		private String type = "jobqueue.email";

		/** Sender address; the mail sender's default when empty. */
		private String from;

		@Override
		public String getType() {
			return this.type;
		}

		public void setType(String type) {
			this.type = type;
		}

		public String getFrom() {
			return this.from;
		}

		public void setFrom(String from) {
			this.from = from;
		}

		@Override
		public String toString() {
			return "[type=" + this.type + ", " + super.toString() + ", from=" + this.from + "]";
		}

	}

}
