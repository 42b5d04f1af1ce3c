package dev.jobqueue.spring.autoconfigure;

/**
 * Redis refused the job queue's connection at start-up because of its configuration (credentials
 * or TLS), which waiting will not fix; {@link RedisConnectionFailureAnalyzer} explains which
 * property to change.
 */
public class RedisConnectionConfigurationException extends RuntimeException {

	private final String action;

	RedisConnectionConfigurationException(String description, String action, Throwable cause) {
		super(description, cause);
		this.action = action;
	}

	/** What to change, naming the property. */
	public String getAction() {
		return this.action;
	}

}
