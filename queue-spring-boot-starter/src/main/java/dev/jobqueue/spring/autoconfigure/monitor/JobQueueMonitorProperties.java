package dev.jobqueue.spring.autoconfigure.monitor;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What this node writes to Redis for the dashboard and the command line, under
 * {@code jobqueue.monitor}: per-minute job counts and its workers' heartbeats.
 */
@ConfigurationProperties("jobqueue.monitor")
public class JobQueueMonitorProperties {

	/** Whether this node records per-minute job counts and registers its workers. */
	private boolean enabled = true;

	/** How often counted jobs are written to Redis (one call per queue). */
	private Duration flushInterval = Duration.ofSeconds(1);

	/** How often each worker reports itself; it counts as gone after three missed reports. */
	private Duration heartbeatInterval = Duration.ofSeconds(5);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getFlushInterval() {
		return this.flushInterval;
	}

	public void setFlushInterval(Duration flushInterval) {
		this.flushInterval = flushInterval;
	}

	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

}
