package dev.jobqueue.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import dev.jobqueue.core.monitor.QueuePause;

/** {@code jobqueue resume <queue>}: clears the queue's paused flag. */
@Command(name = "resume", description = "Resume a paused queue.")
class ResumeCommand implements Callable<Integer> {

	@ParentCommand
	JobQueueCli cli;

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "QUEUE")
	String queue;

	@Override
	public Integer call() {
		boolean changed = new QueuePause(this.cli.redis(), this.cli.prefix).resume(this.queue);
		return PauseCommand.report(this.cli.output(this.spec), this.queue, false, changed);
	}

}
