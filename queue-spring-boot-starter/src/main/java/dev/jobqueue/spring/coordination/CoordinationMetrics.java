package dev.jobqueue.spring.coordination;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.jobqueue.core.leader.LeadershipListener;
import dev.jobqueue.core.limit.RateLimiter;
import dev.jobqueue.core.lock.LockListener;
import dev.jobqueue.core.schedule.ScheduleListener;

/**
 * Micrometer meters for the coordination primitives: {@code jobqueue.lock.wait} (timer, outcome
 * acquired/timeout; lock keys are not tags, they may be unbounded), {@code jobqueue.ratelimit.denials}
 * (per limiter), {@code jobqueue.leader.changes} (per election and change) and
 * {@code jobqueue.schedule.fires} (per schedule, missed or not).
 */
public class CoordinationMetrics implements LockListener, RateLimiter.Listener, LeadershipListener, ScheduleListener {

	private final MeterRegistry registry;

	public CoordinationMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void waited(String key, Duration waited, boolean acquired) {
		Timer.builder("jobqueue.lock.wait").description("Time spent waiting for locks")
			.tag("outcome", acquired ? "acquired" : "timeout").register(this.registry).record(waited);
	}

	@Override
	public void decided(String limiter, String subject, RateLimiter.Decision decision) {
		if (!decision.allowed()) {
			Counter.builder("jobqueue.ratelimit.denials").description("Requests a rate limiter denied")
				.tag("limiter", limiter).register(this.registry).increment();
		}
	}

	@Override
	public void elected(String election, long term) {
		change(election, "elected");
	}

	@Override
	public void revoked(String election, long term) {
		change(election, "revoked");
	}

	private void change(String election, String change) {
		Counter.builder("jobqueue.leader.changes").description("Times this node gained or lost leadership")
			.tag("election", election).tag("change", change).register(this.registry).increment();
	}

	@Override
	public void fired(String schedule, Instant fireTime, String jobId, boolean missed) {
		Counter.builder("jobqueue.schedule.fires").description("Jobs this node enqueued for schedules")
			.tag("schedule", schedule).tag("missed", String.valueOf(missed)).register(this.registry).increment();
	}

}
