package dev.jobqueue.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.monitor.WorkerRegistry;
import dev.jobqueue.core.queue.JobQueue;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.shard.ShardStrategy;
import dev.jobqueue.core.shard.ShardedQueue;

/**
 * The {@code jobqueue} command line: inspect and operate queues from a terminal or a script. Exit
 * codes: 0 done, 1 failed (e.g. Redis unreachable), 2 bad usage or a refused destructive action, 3
 * no such job, queue or dead letter.
 */
@Command(name = "jobqueue", mixinStandardHelpOptions = true, versionProvider = JobQueueCli.Version.class,
		description = "Inspect and operate jobqueue queues in Redis.",
		subcommands = { StatsCommand.class, QueuesCommand.class, JobCommand.class, DeadCommand.class,
				PauseCommand.Pause.class, PauseCommand.Resume.class, WorkersCommand.class, WorkCommand.class,
				CommandLine.HelpCommand.class },
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:done", "1:failed (e.g. Redis unreachable)", "2:bad usage, or a destructive action without --yes",
				"3:no such job, queue or dead letter" })
public class JobQueueCli {

	static final int OK = 0;

	static final int FAILED = 1;

	static final int USAGE = 2;

	static final int NOT_FOUND = 3;

	@Option(names = "--redis", scope = ScopeType.INHERIT, paramLabel = "URI",
			defaultValue = "${env:JOBQUEUE_REDIS:-redis://127.0.0.1:6379}",
			description = "Redis to use: redis://[user:password@]host:port[/db] or rediss:// for TLS "
					+ "(default: $JOBQUEUE_REDIS, else ${DEFAULT-VALUE}).")
	String redisUri;

	@Option(names = "--prefix", scope = ScopeType.INHERIT, defaultValue = "jobqueue",
			description = "Key prefix, as jobqueue.key-prefix of the applications (default: ${DEFAULT-VALUE}).")
	String prefix;

	@Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON instead of a table.")
	boolean json;

	@Option(names = "--shards", scope = ScopeType.INHERIT, paramLabel = "QUEUE=N",
			description = "A queue split into N shards on this Redis, as jobqueue.queues.<name>.shards of the "
					+ "applications; repeat for several queues.")
	Map<String, Integer> shards = new LinkedHashMap<>();

	private final List<ShardedQueue> opened = new ArrayList<>();

	private RedisClient redis;

	public static void main(String[] args) {
		System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
	}

	/** Runs one command line; returns the exit code. */
	static int run(String[] args, PrintWriter out, PrintWriter err) {
		JobQueueCli cli = new JobQueueCli();
		CommandLine commandLine = new CommandLine(cli).setOut(out).setErr(err);
		commandLine.setExecutionExceptionHandler((ex, line, parsed) -> {
			line.getErr().println("jobqueue: " + describe(ex));
			return (ex instanceof IllegalArgumentException) ? USAGE : FAILED;
		});
		try {
			return commandLine.execute(args);
		}
		finally {
			cli.close();
		}
	}

	RedisClient redis() {
		if (this.redis == null) {
			URI uri = URI.create(this.redisUri);
			if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
				throw new IllegalArgumentException("--redis must be a redis:// or rediss:// URI, not '" + this.redisUri + "'");
			}
			this.redis = RedisClient.create(uri);
		}
		return this.redis;
	}

	/** The queue, or all its shards as one queue when it was named with {@code --shards}. */
	JobQueue queue(String name) {
		Integer count = this.shards.get(name);
		if (count == null || count == 1) {
			return plainQueue(name);
		}
		if (count < 1) {
			throw new IllegalArgumentException("--shards " + name + "=" + count + ": a queue has at least 1 shard");
		}
		ShardedQueue sharded = ShardedQueue.onServers(Collections.nCopies(count, redis()), name,
				QueueOptions.defaults().withKeyPrefix(this.prefix), ShardStrategy.HASH);
		this.opened.add(sharded);
		return sharded;
	}

	/** The queue as one store (what {@code work} runs jobs from). */
	RedisJobQueue plainQueue(String name) {
		return new RedisJobQueue(redis(), name, QueueOptions.defaults().withKeyPrefix(this.prefix));
	}

	WorkerRegistry registry() {
		return new WorkerRegistry(redis(), this.prefix);
	}

	/** The queues named, or else every queue workers and applications have recorded. */
	List<String> queueNames(List<String> named) {
		if (named != null && !named.isEmpty()) {
			Set<String> names = new LinkedHashSet<>();
			named.forEach((name) -> names.add(name.trim()));
			return new ArrayList<>(names);
		}
		return registry().knownQueues();
	}

	Output output(CommandLine.Model.CommandSpec spec) {
		return new Output(spec.commandLine().getOut(), this.json);
	}

	private void close() {
		this.opened.forEach(ShardedQueue::close);
		if (this.redis != null) {
			this.redis.close();
		}
	}

	private static String describe(Exception ex) {
		String message = ex.getMessage();
		Throwable cause = ex.getCause();
		if (cause != null && cause.getMessage() != null && (message == null || !message.contains(cause.getMessage()))) {
			message = ((message != null) ? message + ": " : "") + cause.getMessage();
		}
		return (message != null) ? message : ex.getClass().getSimpleName();
	}

	/** The version of the jar, or "dev" when run from classes. */
	static final class Version implements CommandLine.IVersionProvider {

		@Override
		public String[] getVersion() {
			String version = JobQueueCli.class.getPackage().getImplementationVersion();
			return new String[] { "jobqueue " + ((version != null) ? version : "dev") };
		}

	}

}
