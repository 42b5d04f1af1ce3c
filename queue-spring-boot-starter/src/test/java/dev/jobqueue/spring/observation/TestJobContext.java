package dev.jobqueue.spring.observation;

import java.util.Map;
import java.util.Optional;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.job.StopReason;

/** The first attempt of {@code job}, as job {@code j1}, never told to stop. */
record TestJobContext(Job job) implements JobContext {

	@Override
	public String jobId() {
		return "j1";
	}

	@Override
	public String type() {
		return this.job.type();
	}

	@Override
	public String queue() {
		return this.job.queue();
	}

	@Override
	public int attempt() {
		return 1;
	}

	@Override
	public Map<String, String> metadata() {
		return this.job.metadata();
	}

	@Override
	public Optional<StopReason> stopReason() {
		return Optional.empty();
	}

	@Override
	public void updateProgress(int progress) {
	}

}
