package dev.jobqueue.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused Redis connection (password, TLS) into a start-up report that names the property to fix. */
class RedisConnectionFailureAnalyzer extends AbstractFailureAnalyzer<RedisConnectionConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RedisConnectionConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
