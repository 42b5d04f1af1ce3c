package dev.jobqueue.spring.builtin;

/**
 * What a delivered webhook job keeps as its result.
 *
 * @param status the 2xx status the endpoint answered
 * @param latencyMs how long the request took, in milliseconds
 */
public record WebhookResult(int status, long latencyMs) {
}
