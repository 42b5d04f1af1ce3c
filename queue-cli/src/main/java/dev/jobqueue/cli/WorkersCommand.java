package dev.jobqueue.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.jobqueue.core.monitor.RegisteredWorker;
import dev.jobqueue.core.monitor.WorkerInfo;

/** {@code jobqueue workers}: the live workers from the registry. */
@Command(name = "workers", description = "The live workers: queues, concurrency, busy slots, last heartbeat.")
class WorkersCommand implements Callable<Integer> {

	@ParentCommand
	JobQueueCli cli;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		Output output = this.cli.output(this.spec);
		List<List<String>> rows = new ArrayList<>();
		ArrayNode json = Output.array();
		for (RegisteredWorker worker : this.cli.registry().workers()) {
			WorkerInfo info = worker.info();
			String age = worker.heartbeatAge().toSeconds() + "s ago";
			rows.add(List.of(info.id(), String.valueOf(info.host()), String.valueOf(info.pid()), String.join(",", info.queues()),
					String.valueOf(info.concurrency()), String.valueOf(info.busy()), age, String.valueOf(info.version())));
			ObjectNode node = json.addObject().put("id", info.id()).put("host", info.host()).put("pid", info.pid())
				.put("concurrency", info.concurrency()).put("busy", info.busy())
				.put("lastHeartbeat", worker.lastHeartbeat().toString())
				.put("heartbeatAgeMillis", worker.heartbeatAge().toMillis()).put("version", info.version());
			ArrayNode queues = node.putArray("queues");
			info.queues().forEach(queues::add);
		}
		if (output.isJson()) {
			output.json(Output.object().set("workers", json));
		}
		else {
			output.table(List.of("ID", "HOST", "PID", "QUEUES", "CONCURRENCY", "BUSY", "HEARTBEAT", "VERSION"), rows);
		}
		return JobQueueCli.OK;
	}

}
