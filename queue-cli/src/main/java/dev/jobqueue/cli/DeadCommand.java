package dev.jobqueue.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;

import dev.jobqueue.core.dlq.DeadLetter;
import dev.jobqueue.core.dlq.DeadLetterQueue;

/** {@code jobqueue dead ls | retry | purge}: the dead-letter queues. */
@Command(name = "dead", description = "List, retry and purge dead jobs.",
		subcommands = { DeadCommand.Ls.class, DeadCommand.Retry.class, DeadCommand.Purge.class })
class DeadCommand {

	@ParentCommand
	JobQueueCli cli;

	/** {@code dead ls}: newest first, a page at a time. */
	@Command(name = "ls", description = "List dead jobs, newest first.")
	static class Ls implements Callable<Integer> {

		@ParentCommand
		DeadCommand dead;

		@Spec
		CommandSpec spec;

		@Option(names = "--queue", split = ",", paramLabel = "QUEUE", description = "Queues (default: every recorded queue).")
		List<String> queues;

		@Option(names = "--limit", defaultValue = "20", description = "Most jobs per queue, 1 to 1000 (default: ${DEFAULT-VALUE}).")
		int limit;

		@Option(names = "--offset", defaultValue = "0", description = "Newest jobs to skip (default: ${DEFAULT-VALUE}).")
		long offset;

		@Override
		public Integer call() {
			if (this.limit < 1 || this.limit > 1000 || this.offset < 0) {
				throw new IllegalArgumentException("--limit must be 1 to 1000 and --offset zero or more");
			}
			JobQueueCli cli = this.dead.cli;
			Output output = cli.output(this.spec);
			List<List<String>> rows = new ArrayList<>();
			ArrayNode json = Output.array();
			for (String name : cli.queueNames(this.queues)) {
				for (DeadLetter letter : cli.queue(name).deadLetters().get(this.offset, this.offset + this.limit - 1)) {
					String type = (letter.job() != null) ? letter.job().type() : "";
					rows.add(List.of(name, letter.id(), type, letter.failedAt().toString(),
							String.valueOf(letter.attempts()), (letter.message() != null) ? letter.message() : ""));
					json.addObject().put("queue", name).put("id", letter.id()).put("type", type)
						.put("failedAt", letter.failedAt().toString()).put("attempts", letter.attempts())
						.put("error", letter.message());
				}
			}
			if (output.isJson()) {
				output.json(Output.object().set("dead", json));
			}
			else {
				output.table(List.of("QUEUE", "ID", "TYPE", "DIED", "ATTEMPTS", "ERROR"), rows);
			}
			return JobQueueCli.OK;
		}

	}

	/** {@code dead retry <id>... | --all --queue Q}: back to pending with a fresh retry budget. */
	@Command(name = "retry", description = "Put dead jobs back to pending: by id, or --all of one queue.")
	static class Retry implements Callable<Integer> {

		@ParentCommand
		DeadCommand dead;

		@Spec
		CommandSpec spec;

		@ArgGroup(multiplicity = "1")
		Which which;

		static class Which {

			@Parameters(paramLabel = "ID", arity = "1..*", description = "Ids of dead jobs.")
			List<String> ids;

			@Option(names = "--all", required = true, description = "Every dead job of the queue named with --queue.")
			boolean all;

		}

		@Option(names = "--queue", split = ",", paramLabel = "QUEUE",
				description = "Queue of the jobs (required with --all; default for ids: every recorded queue).")
		List<String> queues;

		@Override
		public Integer call() {
			JobQueueCli cli = this.dead.cli;
			Output output = cli.output(this.spec);
			long retried = 0;
			int missing = 0;
			if (this.which.all) {
				if (this.queues == null || this.queues.size() != 1) {
					throw new IllegalArgumentException("dead retry --all needs exactly one --queue");
				}
				retried = cli.queue(this.queues.get(0)).deadLetters().retryAll();
			}
			else {
				List<String> names = cli.queueNames(this.queues);
				for (String id : this.which.ids) {
					boolean found = false;
					for (String name : names) {
						DeadLetterQueue letters = cli.queue(name).deadLetters();
						if (letters.retry(id)) {
							found = true;
							retried++;
							break;
						}
					}
					if (!found) {
						missing++;
						this.spec.commandLine().getErr().println("jobqueue: no dead job with id '" + id + "'");
					}
				}
			}
			if (output.isJson()) {
				output.json(Output.object().put("retried", retried).put("notFound", missing));
			}
			else {
				output.line("Retried " + retried + " dead job(s).");
			}
			return (missing > 0) ? JobQueueCli.NOT_FOUND : JobQueueCli.OK;
		}

	}

	/** {@code dead purge --queue Q --yes}: deletes every dead job of a queue for good. */
	@Command(name = "purge", description = "Delete every dead job of a queue for good (needs --yes).")
	static class Purge implements Callable<Integer> {

		@ParentCommand
		DeadCommand dead;

		@Spec
		CommandSpec spec;

		@Option(names = "--queue", required = true, paramLabel = "QUEUE", description = "The queue.")
		String queue;

		@Option(names = "--yes", description = "Confirm: the jobs cannot be brought back.")
		boolean yes;

		@Override
		public Integer call() {
			JobQueueCli cli = this.dead.cli;
			DeadLetterQueue letters = cli.queue(this.queue).deadLetters();
			if (!this.yes) {
				this.spec.commandLine().getErr().println("jobqueue: this deletes " + letters.size() + " dead job(s) of queue '"
						+ this.queue + "' for good; run again with --yes to do it");
				return JobQueueCli.USAGE;
			}
			long purged = letters.purge();
			Output output = cli.output(this.spec);
			if (output.isJson()) {
				output.json(Output.object().put("purged", purged));
			}
			else {
				output.line("Purged " + purged + " dead job(s) of queue " + this.queue + ".");
			}
			return JobQueueCli.OK;
		}

	}

}
