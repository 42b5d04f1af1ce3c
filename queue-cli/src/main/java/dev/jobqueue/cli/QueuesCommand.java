package dev.jobqueue.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;

import dev.jobqueue.core.monitor.QueuePause;

/** {@code jobqueue queues}: the queues workers and applications recorded, with their paused flag. */
@Command(name = "queues", description = "The queues workers and applications recorded, and whether each is paused.")
class QueuesCommand implements Callable<Integer> {

	@ParentCommand
	JobQueueCli cli;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		Output output = this.cli.output(this.spec);
		QueuePause pause = new QueuePause(this.cli.redis(), this.cli.prefix);
		List<List<String>> rows = new ArrayList<>();
		ArrayNode json = Output.array();
		for (String name : this.cli.queueNames(null)) {
			boolean paused = pause.isPaused(name);
			long pending = this.cli.queue(name).stats().pending();
			rows.add(List.of(name, StatsCommand.n(pending), paused ? "yes" : "no"));
			json.addObject().put("queue", name).put("pending", pending).put("paused", paused);
		}
		if (output.isJson()) {
			output.json(Output.object().set("queues", json));
		}
		else {
			output.table(List.of("QUEUE", "PENDING", "PAUSED"), rows);
		}
		return JobQueueCli.OK;
	}

}
