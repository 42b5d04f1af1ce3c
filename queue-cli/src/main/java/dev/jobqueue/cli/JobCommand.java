package dev.jobqueue.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobInfo;

/** {@code jobqueue job <id>}: everything the queue knows about one job; exit 3 when no queue holds it. */
@Command(name = "job", description = "Show one job: state, attempts, payload, result, last error.")
class JobCommand implements Callable<Integer> {

	@ParentCommand
	JobQueueCli cli;

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "ID", description = "The job's id.")
	String id;

	@Option(names = "--queue", split = ",", paramLabel = "QUEUE", description = "Queues to look in (default: every recorded queue).")
	List<String> queues;

	@Override
	public Integer call() {
		Output output = this.cli.output(this.spec);
		for (String name : this.cli.queueNames(this.queues)) {
			Optional<JobInfo> found = this.cli.queue(name).get(this.id);
			if (found.isPresent()) {
				print(output, name, found.get());
				return JobQueueCli.OK;
			}
		}
		this.spec.commandLine().getErr().println("jobqueue: no queue holds a job with id '" + this.id + "'");
		return JobQueueCli.NOT_FOUND;
	}

	private static void print(Output output, String queue, JobInfo info) {
		Job job = info.job();
		ObjectNode json = Output.object();
		json.put("id", info.id());
		json.put("queue", queue);
		json.put("state", info.state().id());
		json.put("stateAt", (info.stateAt() != null) ? info.stateAt().toString() : null);
		json.put("type", (job != null) ? job.type() : null);
		json.put("createdAt", (job != null) ? job.createdAt().toString() : null);
		json.put("priority", (job != null) ? job.priority() : 0);
		json.put("attempts", info.attempts());
		json.put("failures", info.failures());
		json.put("stalls", info.stalls());
		json.put("progress", info.progress());
		ObjectNode metadata = json.putObject("metadata");
		if (job != null) {
			job.metadata().forEach(metadata::put);
		}
		json.put("payload", (job != null) ? job.payload() : null);
		json.put("result", info.result());
		if (info.lastError() != null) {
			json.putObject("lastError").put("message", info.lastError().message())
				.put("exceptionType", info.lastError().exceptionType()).put("workerId", info.lastError().workerId())
				.put("stackTrace", info.lastError().stackTrace());
		}
		if (output.isJson()) {
			output.json(json);
			return;
		}
		List<List<String>> rows = new ArrayList<>();
		for (Map.Entry<String, JsonNode> field : json.properties()) {
			if (!field.getKey().equals("lastError") && !field.getKey().equals("metadata")) {
				rows.add(List.of(field.getKey(), field.getValue().isNull() ? "" : field.getValue().asString()));
			}
		}
		if (job != null) {
			job.metadata().forEach((key, value) -> rows.add(List.of("metadata." + key, value)));
		}
		output.table(List.of("FIELD", "VALUE"), rows);
		if (info.lastError() != null) {
			output.line("");
			output.line("Last error: " + info.lastError().message() + " (" + info.lastError().exceptionType() + ")");
			if (info.lastError().stackTrace() != null) {
				output.line(info.lastError().stackTrace());
			}
		}
	}

}
