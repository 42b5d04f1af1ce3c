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
import dev.jobqueue.core.monitor.ThroughputCounters;
import dev.jobqueue.core.queue.JobQueue;
import dev.jobqueue.core.queue.QueueStats;
import dev.jobqueue.core.shard.ShardedQueue;

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
		List<List<String>> rows = new ArrayList<>();
		ArrayNode array = Output.array();
		for (String name : this.cli.queueNames(this.queues)) {
			JobQueue queue = this.cli.queue(name);
			QueueStats stats = queue.stats();
			boolean paused = queue.isPaused();
			List<MinuteCount> hour = throughput.lastHour(name);
			long processed = hour.stream().mapToLong(MinuteCount::processed).sum();
			long failed = hour.stream().mapToLong(MinuteCount::failed).sum();
			rows.add(row(name, stats, paused ? "yes" : "no", n(processed), n(failed)));
			ObjectNode json = counts(array.addObject().put("queue", name), stats);
			json.put("paused", paused);
			json.put("processedLastHour", processed);
			json.put("failedLastHour", failed);
			if (queue instanceof ShardedQueue sharded) {
				ArrayNode shards = json.putArray("shards");
				List<QueueStats> perShard = sharded.statsPerShard();
				for (int i = 0; i < perShard.size(); i++) {
					rows.add(row("  shard " + (i + 1), perShard.get(i), "", "", ""));
					counts(shards.addObject().put("shard", i + 1), perShard.get(i));
				}
			}
		}
		if (output.isJson()) {
			output.json(Output.object().set("queues", array));
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

	private static List<String> row(String name, QueueStats stats, String paused, String processed, String failed) {
		return List.of(name, n(stats.pending()), n(stats.scheduled()), n(stats.active()), n(stats.retrying()),
				n(stats.completed()), n(stats.dead()), n(stats.cancelled()), n(stats.skipped()), paused, processed, failed);
	}

	private static ObjectNode counts(ObjectNode json, QueueStats stats) {
		return json.put("pending", stats.pending()).put("scheduled", stats.scheduled()).put("active", stats.active())
			.put("retrying", stats.retrying()).put("completed", stats.completed()).put("dead", stats.dead())
			.put("cancelled", stats.cancelled()).put("skipped", stats.skipped());
	}

	static String n(long value) {
		return String.valueOf(value);
	}

}
