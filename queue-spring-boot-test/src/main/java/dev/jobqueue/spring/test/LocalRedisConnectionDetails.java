package dev.jobqueue.spring.test;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

import dev.jobqueue.test.LocalRedisServer;

/** The connection details of the test kit's local {@code redis-server}: where the job queue connects in a test. */
final class LocalRedisConnectionDetails implements DataRedisConnectionDetails {

	private final LocalRedisServer server;

	LocalRedisConnectionDetails(LocalRedisServer server) {
		this.server = server;
	}

	@Override
	public Standalone getStandalone() {
		return Standalone.of(this.server.host(), this.server.port());
	}

}
