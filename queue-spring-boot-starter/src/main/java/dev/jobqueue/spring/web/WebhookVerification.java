package dev.jobqueue.spring.web;

/**
 * The outcome of checking a webhook request's signature.
 *
 * @param accepted whether the request is authentic and fresh
 * @param deliveryId the id of this delivery that the signature covers, which makes the job's id
 * (replays find the job already there); {@code null} when the scheme signs none in the headers
 * @param reason why the request was refused, for the log (never sent back)
 */
public record WebhookVerification(boolean accepted, String deliveryId, String reason) {

	static WebhookVerification accepted(String deliveryId) {
		return new WebhookVerification(true, deliveryId, null);
	}

	static WebhookVerification refused(String reason) {
		return new WebhookVerification(false, null, reason);
	}

}
