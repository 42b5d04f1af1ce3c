package dev.jobqueue.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.jobqueue.core.monitor.MinuteCount;
import dev.jobqueue.core.monitor.QueuePause;
import dev.jobqueue.core.monitor.ThroughputCounters;
import dev.jobqueue.core.queue.QueueStats;

/** {@code jobqueue stats}: jobs per state, paused flag and the last hour's throughput of each queue. */
@Command(name = "stats", description = "Jobs per state and the last hour's throughput, per queue.")
class StatsCommand implements Callable<Integer> {

	@ParentCommand
	JobQueueCli cli;

	@Spec
	CommandSpec spec;

	@Option(names = "--queue", split = ",", paramLabel = "QUEUE",
			description = "Queues to show (default: every queue workers or applications recorded).")
	List<String> queues;

	@Override
	public Integer call() {
		Output output = this.cli.output(this.spec);
		ThroughputCounters throughput = new ThroughputCounters(this.cli.redis(), this.cli.prefix);
		QueuePause pause = new QueuePause(this.cli.redis(), this.cli.prefix);
		List<List<String>> rows = new ArrayList<>();
		ArrayNode json = Output.array();
		for (String name : this.cli.queueNames(this.queues)) {
			QueueStats stats = this.cli.queue(name).stats();
			boolean paused = pause.isPaused(name);
			List<MinuteCount> hour = throughput.lastHour(name);
			long processed = hour.stream().mapToLong(MinuteCount::processed).sum();
			long failed = hour.stream().mapToLong(MinuteCount::failed).sum();
			rows.add(List.of(name, n(stats.pending()), n(stats.scheduled()), n(stats.active()), n(stats.retrying()),
					n(stats.completed()), n(stats.dead()), n(stats.cancelled()), n(stats.skipped()), paused ? "yes" : "no", n(processed), n(failed)));
			ObjectNode queue = json.addObject();
			queue.put("queue", name);
			queue.put("pending", stats.pending());
			queue.put("scheduled", stats.scheduled());
			queue.put("active", stats.active());
			queue.put("retrying", stats.retrying());
			queue.put("completed", stats.completed());
			queue.put("dead", stats.dead());
			queue.put("cancelled", stats.cancelled());
			queue.put("skipped", stats.skipped());
			queue.put("paused", paused);
			queue.put("processedLastHour", processed);
			queue.put("failedLastHour", failed);
		}
		if (output.isJson()) {
			output.json(Output.object().set("queues", json));
		}
		else if (rows.isEmpty()) {
			output.line("No queues recorded yet under prefix '" + this.cli.prefix + "'; name them with --queue.");
		}
		else {
			output.table(List.of("QUEUE", "PENDING", "SCHEDULED", "ACTIVE", "RETRYING", "COMPLETED", "DEAD", "CANCELLED",
					"SKIPPED", "PAUSED", "PROCESSED/1H", "FAILED/1H"), rows);
		}
		return JobQueueCli.OK;
	}

	static String n(long value) {
		return String.valueOf(value);
	}

}
