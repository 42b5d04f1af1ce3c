package dev.jobqueue.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import dev.jobqueue.core.queue.JobQueue;

/**
 * {@code jobqueue pause <queue>} and {@code jobqueue resume <queue>}: set or clear the queue's paused flag (every
 * shard's, for a queue named with {@code --shards}).
 */
abstract class PauseCommand implements Callable<Integer> {

	@ParentCommand
	JobQueueCli cli;

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "QUEUE")
	String queue;

	/** Whether this command pauses (or resumes) the queue. */
	abstract boolean pauses();

	@Override
	public Integer call() {
		// A queue named with --shards is every shard of it.
		JobQueue target = this.cli.queue(this.queue);
		boolean changed = pauses() != target.isPaused();
		if (pauses()) {
			target.pause();
		}
		else {
			target.resume();
		}
		Output output = this.cli.output(this.spec);
		if (output.isJson()) {
			output.json(Output.object().put("queue", this.queue).put("paused", pauses()).put("changed", changed));
		}
		else {
			output.line("Queue " + this.queue + (changed ? " is now " : " was already ")
					+ (pauses() ? "paused." : "running."));
		}
		return JobQueueCli.OK;
	}

	@Command(name = "pause", description = "Pause a queue: workers lease nothing more from it until it is resumed.")
	static final class Pause extends PauseCommand {

		@Override
		boolean pauses() {
			return true;
		}

	}

	@Command(name = "resume", description = "Resume a paused queue.")
	static final class Resume extends PauseCommand {

		@Override
		boolean pauses() {
			return false;
		}

	}

}
