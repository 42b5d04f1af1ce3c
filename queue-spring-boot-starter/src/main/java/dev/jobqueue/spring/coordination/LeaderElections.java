package dev.jobqueue.spring.coordination;

import java.util.Map;

import org.springframework.context.SmartLifecycle;

import dev.jobqueue.core.leader.LeaderElection;

/**
 * The leader elections declared under {@code jobqueue.leader-elections}, by name. This node campaigns in
 * each while the context runs and resigns at shutdown, so another node takes over at once.
 */
public class LeaderElections extends Named<LeaderElection> implements SmartLifecycle {

	private volatile boolean running;

	public LeaderElections(Map<String, LeaderElection> elections) {
		super("leader election", "jobqueue.leader-elections", elections);
	}

	@Override
	public void start() {
		all().values().forEach(LeaderElection::start);
		this.running = true;
	}

	@Override
	public void stop() {
		all().values().forEach(LeaderElection::close);
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
