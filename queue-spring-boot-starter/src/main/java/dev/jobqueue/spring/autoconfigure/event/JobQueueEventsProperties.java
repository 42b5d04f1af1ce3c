package dev.jobqueue.spring.autoconfigure.event;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.jobqueue.core.queue.EventOptions;

/** Which lifecycle events the queues write to their event streams, and whether they reach Spring's listeners. */
@ConfigurationProperties("jobqueue.events")
public class JobQueueEventsProperties {

	/** Which events the queues write: all, lifecycle (all but progress) or none (no cost at all). */
	private EventOptions.Mode mode = EventOptions.DEFAULT.mode();

	/** About how many events each queue's stream keeps. */
	private long maxLength = EventOptions.DEFAULT.maxLength();

	/** How long an event is kept at most. */
	private Duration maxAge = EventOptions.DEFAULT.maxAge();

	/** Whether every event is published in this JVM as a Spring application event (JobCompletedEvent, ...). */
	private boolean applicationEvents = false;

	public EventOptions.Mode getMode() {
		return this.mode;
	}

	public void setMode(EventOptions.Mode mode) {
		this.mode = mode;
	}

	public long getMaxLength() {
		return this.maxLength;
	}

	public void setMaxLength(long maxLength) {
		this.maxLength = maxLength;
	}

	public Duration getMaxAge() {
		return this.maxAge;
	}

	public void setMaxAge(Duration maxAge) {
		this.maxAge = maxAge;
	}

	public boolean isApplicationEvents() {
		return this.applicationEvents;
	}

	public void setApplicationEvents(boolean applicationEvents) {
		this.applicationEvents = applicationEvents;
	}

	/** These settings as the queues take them. */
	public EventOptions toOptions() {
		return new EventOptions(this.mode, this.maxLength, this.maxAge);
	}

}
