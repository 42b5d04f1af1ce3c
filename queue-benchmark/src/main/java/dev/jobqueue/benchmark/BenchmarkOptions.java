package dev.jobqueue.benchmark;

import java.util.List;

/**
 * What to measure and against which Redis.
 *
 * @param host Redis host, or {@code null} to start a local redis-server for the run
 * @param port Redis port
 * @param jobs jobs per throughput run (N)
 * @param concurrency worker concurrency (C)
 * @param seconds length of each steady-rate latency run
 * @param what measurements to run: throughput, batch, latency, memory, baseline, or all
 */
record BenchmarkOptions(String host, int port, int jobs, int concurrency, int seconds, List<String> what) {

	static final String USAGE = """
			usage: java -jar queue-benchmark.jar [--redis host:port | --redis local] [--n 50000] [--concurrency 50]
			                                     [--seconds 10] [throughput|latency|memory|baseline|all ...]""";

	static BenchmarkOptions parse(String... args) {
		String host = null;
		int port = 0;
		int jobs = 50_000;
		int concurrency = 50;
		int seconds = 10;
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
				case "throughput", "batch", "latency", "memory", "baseline", "all" -> what.add(args[i]);
				default -> throw new IllegalArgumentException("Unknown argument '" + args[i] + "'\n" + USAGE);
			}
		}
		if (what.isEmpty() || what.contains("all")) {
			what = List.of("baseline", "throughput", "latency", "memory");
		}
		return new BenchmarkOptions(host, port, jobs, concurrency, seconds, List.copyOf(what));
	}

}
