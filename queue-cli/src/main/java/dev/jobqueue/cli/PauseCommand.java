package dev.jobqueue.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import dev.jobqueue.core.monitor.QueuePause;

/** {@code jobqueue pause <queue>}: sets the queue's paused flag. */
@Command(name = "pause", description = "Pause a queue: workers that honour the flag lease nothing more from it.")
class PauseCommand implements Callable<Integer> {

	@ParentCommand
	JobQueueCli cli;

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "QUEUE")
	String queue;

	@Override
	public Integer call() {
		boolean changed = new QueuePause(this.cli.redis(), this.cli.prefix).pause(this.queue);
		return PauseCommand.report(this.cli.output(this.spec), this.queue, true, changed);
	}

	static int report(Output output, String queue, boolean paused, boolean changed) {
		if (output.isJson()) {
			output.json(Output.object().put("queue", queue).put("paused", paused).put("changed", changed));
		}
		else {
			output.line("Queue " + queue + (changed ? " is now " : " was already ") + (paused ? "paused." : "running."));
		}
		return JobQueueCli.OK;
	}

}
