package dev.jobqueue.benchmark;

import java.util.List;

import dev.jobqueue.core.queue.EventOptions;

/**
 * What to measure and against which Redis.
 *
 * @param host Redis host, or {@code null} to start a local redis-server for the run
 * @param port Redis port
 * @param jobs jobs per throughput run (N)
 * @param concurrency worker concurrency (C)
 * @param seconds length of each steady-rate latency run
 * @param warm jobs of the unreported warm-up round before a throughput run (20,000, as the peers)
 * @param rounds interleaved rounds of this harness and the peer script (0: this harness once)
 * @param peers the peer script to interleave with
 * @param what measurements to run: throughput, batch, latency, memory, baseline, or all
 * @param cluster seed nodes ({@code host:port,...}) of a Redis Cluster, {@code local} to start one, or {@code null}
 * @param shards measure one queue over 1 to this many partitions (0: do not)
 * @param events which lifecycle events the measured queues write: all (the default, as a queue's), lifecycle or none
 */
record BenchmarkOptions(String host, int port, int jobs, int concurrency, int seconds, int warm, int rounds,
		String peers, List<String> what, String cluster, int shards, EventOptions.Mode events) {

	static final String USAGE = """
			usage: java -jar queue-benchmark.jar [--redis host:port | --redis local] [--n 50000] [--concurrency 50]
			                                     [--seconds 10] [--warm 20000] [--events all|lifecycle|none]
			                                     [--rounds K [--peers ../shared/peers/run.sh]]
			                                     [throughput|latency|memory|memory-1m|baseline|all ...]
			       java -jar queue-benchmark.jar --shards 3 [--cluster local | --cluster host:port,...] [--n 50000]
			         (without --cluster: as many local standalone servers as shards)""";

	static BenchmarkOptions parse(String... args) {
		String host = null;
		int port = 0;
		int jobs = 50_000;
		int concurrency = 50;
		int seconds = 10;
		int warm = 20_000;
		int rounds = 0;
		String peers = "../shared/peers/run.sh";
		String cluster = null;
		int shards = 0;
		EventOptions.Mode events = EventOptions.Mode.ALL;
		List<String> what = new java.util.ArrayList<>();
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--redis" -> {
					String address = args[++i];
					if (!address.equals("local")) {
						int colon = address.lastIndexOf(':');
						host = address.substring(0, colon);
						port = Integer.parseInt(address.substring(colon + 1));
					}
				}
				case "--n" -> jobs = Integer.parseInt(args[++i]);
				case "--concurrency", "--c" -> concurrency = Integer.parseInt(args[++i]);
				case "--seconds" -> seconds = Integer.parseInt(args[++i]);
				case "--warm" -> warm = Integer.parseInt(args[++i]);
				case "--rounds" -> rounds = Integer.parseInt(args[++i]);
				case "--peers" -> peers = args[++i];
				case "--cluster" -> cluster = args[++i];
				case "--shards" -> shards = Integer.parseInt(args[++i]);
				case "--events" -> events = EventOptions.Mode.parse(args[++i]);
				case "throughput", "batch", "latency", "memory", "memory-1m", "baseline", "all" -> what.add(args[i]);
				default -> throw new IllegalArgumentException("Unknown argument '" + args[i] + "'\n" + USAGE);
			}
		}
		if (shards > 0 && what.isEmpty()) {
			what = List.of();
		}
		else if (what.isEmpty() || what.contains("all")) {
			what = List.of("baseline", "throughput", "latency", "memory");
		}
		if (rounds > 0 && host == null) {
			throw new IllegalArgumentException("--rounds needs --redis host:port: the peers run on the same Redis\n" + USAGE);
		}
		return new BenchmarkOptions(host, port, jobs, concurrency, seconds, warm, rounds, peers, List.copyOf(what), cluster, shards,
				events);
	}

}
