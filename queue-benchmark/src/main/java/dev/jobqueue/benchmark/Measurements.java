package dev.jobqueue.benchmark;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.flow.Batch;
import dev.jobqueue.core.flow.Flows;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobIds;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.EventOptions;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.Retention;
import dev.jobqueue.core.worker.JobExecutionListener;
import dev.jobqueue.core.worker.Worker;

/** The measurements, each the same as the peer script of the same name does it. Not thread-safe. */
final class Measurements {

	/** The peers' no-op job: {@code data: { i }}. */
	record NoOp(int i) {
	}

	/** The latency job: enqueue time in this JVM's nanoTime. */
	record Stamp(long t) {
	}

	/** The memory job: the peer's send_email payload. */
	record Email(String to, String subject) {
	}

	private static final int BULK = 1_000;

	private final RedisClient redis;

	private final String host;

	private final int port;

	private final BenchmarkOptions options;

	Measurements(RedisClient redis, String host, int port, BenchmarkOptions options) {
		this.redis = redis;
		this.host = host;
		this.port = port;
		this.options = options;
	}

	/**
	 * As the peers' throughput script: an unreported warm-up round of the same work, then bulk enqueue of N
	 * jobs, draining them with concurrency C, and single enqueues in two shapes (all in flight from one
	 * caller; 64 in flight). Jobs are built inside the timed loops. Each phase reports jobs/s and Redis CPU
	 * µs per job (the server's own CPU time, from INFO cpu); draining also reports this JVM's CPU µs per job.
	 */
	void throughput(Consumer<JsonLine> out) throws Exception {
		int warm = Math.min(this.options.jobs(), this.options.warm());
		if (warm > 0) {
			round(warm, (line) -> {
			});
		}
		round(this.options.jobs(), (line) -> out.accept(line.put("warm", warm)));
	}

	/**
	 * One batch of N no-op jobs with an {@code onComplete} callback: dispatch rate, and the rate at which its
	 * members are processed until the callback has run (every member's settle also counts the batch down).
	 */
	void batch(Consumer<JsonLine> out) throws Exception {
		batchRound(Math.min(this.options.jobs(), 20_000), (line) -> {
		});
		batchRound(this.options.jobs(), out);
	}

	private void batchRound(int n, Consumer<JsonLine> out) throws Exception {
		RedisJobQueue queue = queue("bench-batch");
		try {
			Batch batch = new Flows(queue).batch().onComplete(Job.of("noop", new NoOp(-1)));
			for (int i = 0; i < n; i++) {
				batch.add(Job.of("noop", new NoOp(i)));
			}
			long start = System.nanoTime();
			String id = batch.dispatch().id();
			double dispatchSeconds = seconds(start);
			batch = null;

			CountDownLatch done = new CountDownLatch(n + 1);
			Worker worker = Worker.builder(queue).concurrency(this.options.concurrency())
				.listener(new JobExecutionListener() {
					@Override
					public void onCompleted(LeasedJob job, Duration took) {
						done.countDown();
					}
				})
				.handle("noop", NoOp.class, (noOp, ctx) -> {
				})
				.build();
			start = System.nanoTime();
			worker.start();
			done.await();
			double processSeconds = seconds(start);
			worker.stop(Duration.ofSeconds(10));
			out.accept(new JsonLine("jobqueue").put("N", n).put("C", this.options.concurrency())
				.put("batch_dispatch_per_s", Math.round(n / dispatchSeconds))
				.put("batch_process_per_s", Math.round(n / processSeconds))
				.put("batch_status", new Flows(queue).batchStatus(id).orElseThrow().status().name()));
		}
		finally {
			delete(queue);
		}
	}

	private void round(int n, Consumer<JsonLine> out) throws Exception {
		RedisJobQueue queue = queue("bench");
		JsonLine line = new JsonLine("jobqueue").put("N", n).put("C", this.options.concurrency())
			.put("events", this.options.events().name().toLowerCase(java.util.Locale.ROOT));
		try {
			Phase bulk = measure(n, () -> {
				for (int from = 0; from < n; from += BULK) {
					List<Job> jobs = new ArrayList<>(BULK);
					for (int i = from; i < Math.min(n, from + BULK); i++) {
						jobs.add(Job.of("noop", new NoOp(i)));
					}
					queue.enqueueAll(jobs);
				}
			});
			line.put("enqueue_bulk_per_s", bulk.perSecond()).put("enqueue_bulk_redis_us_per_job", bulk.redisMicrosPerJob());

			CountDownLatch done = new CountDownLatch(n);
			Worker worker = Worker.builder(queue).concurrency(this.options.concurrency())
				.listener(new JobExecutionListener() {
					@Override
					public void onCompleted(LeasedJob job, Duration took) {
						done.countDown();
					}
				})
				.handle("noop", NoOp.class, (noOp, ctx) -> {
				})
				.build();
			Phase process = measure(n, () -> {
				worker.start();
				done.await();
			});
			worker.stop(Duration.ofSeconds(10));
			line.put("process_per_s", process.perSecond()).put("process_redis_us_per_job", process.redisMicrosPerJob())
				.put("process_worker_us_per_job", process.workerMicrosPerJob())
				.put("heap_after_drain_mb", usedHeapAfterGc() / (1024 * 1024));

			int singles = Math.min(n, 20_000);
			Phase pipelined = measure(singles, () -> {
				List<CompletableFuture<?>> inFlight = new ArrayList<>(singles);
				for (int i = 0; i < singles; i++) {
					inFlight.add(queue.enqueueAsync(Job.of("noop", new NoOp(i))));
				}
				CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
			});
			line.put("enqueue_single_pipelined_per_s", pipelined.perSecond())
				.put("enqueue_single_pipelined_redis_us_per_job", pipelined.redisMicrosPerJob());
			delete(queue);

			ExecutorService producers = Executors.newFixedThreadPool(64);
			Phase c64 = measure(singles, () -> {
				AtomicInteger next = new AtomicInteger();
				List<Future<?>> running = new ArrayList<>();
				for (int t = 0; t < 64; t++) {
					running.add(producers.submit(() -> {
						int i;
						while ((i = next.getAndIncrement()) < singles) {
							queue.enqueue(Job.of("noop", new NoOp(i)));
						}
					}));
				}
				for (Future<?> producer : running) {
					producer.get();
				}
			});
			producers.shutdown();
			line.put("enqueue_single_c64_per_s", c64.perSecond())
				.put("enqueue_single_c64_redis_us_per_job", c64.redisMicrosPerJob());
			out.accept(line);
		}
		finally {
			delete(queue);
		}
	}

	/** What one phase cost: wall time, the Redis server's CPU time and this JVM's CPU time, for {@code jobs} jobs. */
	private record Phase(int jobs, double seconds, double redisCpuSeconds, double jvmCpuSeconds) {

		long perSecond() {
			return Math.round(this.jobs / this.seconds);
		}

		double redisMicrosPerJob() {
			return Math.round(this.redisCpuSeconds * 1e6 / this.jobs * 100) / 100.0;
		}

		double workerMicrosPerJob() {
			return Math.round(this.jvmCpuSeconds * 1e6 / this.jobs * 100) / 100.0;
		}

	}

	private interface Work {

		void run() throws Exception;

	}

	private Phase measure(int jobs, Work work) throws Exception {
		double redisBefore = redisCpuSeconds();
		long jvmBefore = jvmCpuNanos();
		long start = System.nanoTime();
		work.run();
		double seconds = seconds(start);
		return new Phase(jobs, seconds, redisCpuSeconds() - redisBefore, (jvmCpuNanos() - jvmBefore) / 1e9);
	}

	private double redisCpuSeconds() {
		return this.redis.info("cpu").lines()
			.filter((line) -> line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:"))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.indexOf(':') + 1).trim())).sum();
	}

	private static long jvmCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	/**
	 * Time from enqueue to handler start at a steady rate, concurrency 10, as the peer's latency
	 * script; after an unreported warm-up of two seconds at the same rate.
	 */
	void latency(int rate, Consumer<JsonLine> out) throws Exception {
		latency(rate, Math.min(2, this.options.seconds()), (line) -> {
		});
		latency(rate, this.options.seconds(), out);
	}

	private void latency(int rate, int seconds, Consumer<JsonLine> out) throws Exception {
		int total = rate * seconds;
		RedisJobQueue queue = queue("latq");
		List<Double> latencies = Collections.synchronizedList(new ArrayList<>(total));
		try (Worker worker = Worker.builder(queue).concurrency(10)
			.handle("x", Stamp.class, (stamp, ctx) -> latencies.add((System.nanoTime() - stamp.t()) / 1e6))
			.build()
			.start()) {
			long start = System.nanoTime();
			int sent = 0;
			while (sent < total) {
				long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
				while (sent < due) {
					queue.enqueue(Job.of("x", new Stamp(System.nanoTime())));
					sent++;
				}
				TimeUnit.MICROSECONDS.sleep(500);
			}
			while (latencies.size() < total) {
				TimeUnit.MILLISECONDS.sleep(20);
			}
		}
		finally {
			delete(queue);
		}
		List<Double> sorted = new ArrayList<>(latencies);
		Collections.sort(sorted);
		out.accept(new JsonLine("jobqueue").put("rate", rate).put("n", total)
			.put("p50_ms", percentile(sorted, 0.5)).put("p99_ms", percentile(sorted, 0.99)).put("max_ms", percentile(sorted, 1)));
	}

	/** Redis memory growth per waiting job, for {@code n} jobs of the peer's send_email payload (its n: 10,000). */
	void memory(int n, Consumer<JsonLine> out) {
		RedisJobQueue queue = queue("memq");
		try {
			queue.enqueue(Job.of("warm", new Email("warm", "up")));
			delete(queue);
			long before = usedMemory();
			for (int from = 0; from < n; from += BULK) {
				List<Job> jobs = new ArrayList<>(BULK);
				for (int j = from; j < from + BULK; j++) {
					jobs.add(Job.of("send_email", new Email("user" + j + "@example.com", "Hello")));
				}
				queue.enqueueAll(jobs);
			}
			out.accept(new JsonLine("jobqueue").put("waiting_jobs", n)
				.put("bytes_per_waiting_job", Math.round((usedMemory() - before) / (double) n)));
		}
		finally {
			delete(queue);
		}
	}

	/** What this Redis does with the simplest queue commands at all: LPUSH and RPOP from 50 clients. */
	void redisBaseline(Consumer<JsonLine> out) throws Exception {
		List<String> command = List.of("redis-benchmark", "-h", this.host, "-p", String.valueOf(this.port), "-c", "50",
				"-n", "200000", "-t", "lpush,rpop", "-q", "--csv");
		JsonLine line = new JsonLine("redis-benchmark").put("clients", 50);
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).start();
		}
		catch (java.io.IOException ex) {
			out.accept(line.put("skipped", "redis-benchmark is not on PATH"));
			return;
		}
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String row;
			while ((row = reader.readLine()) != null) {
				String[] cells = row.replace("\"", "").split(",");
				if (cells.length > 1 && (cells[0].equals("LPUSH") || cells[0].equals("RPOP"))) {
					line.put(cells[0].toLowerCase() + "_per_s", Math.round(Double.parseDouble(cells[1])));
				}
			}
		}
		process.waitFor();
		out.accept(line);
	}

	private RedisJobQueue queue(String name) {
		return new RedisJobQueue(this.redis, name + "-" + JobIds.next().substring(14),
				QueueOptions.defaults().withCompletedRetention(Retention.NONE).withEvents(new EventOptions(this.options.events(),
						EventOptions.DEFAULT.maxLength(), EventOptions.DEFAULT.maxAge())));
	}

	private void delete(RedisJobQueue queue) {
		this.redis.del(queue.keys().all().toArray(String[]::new));
	}

	private long usedMemory() {
		return this.redis.info("memory").lines().filter((line) -> line.startsWith("used_memory:"))
			.mapToLong((line) -> Long.parseLong(line.substring("used_memory:".length()).trim())).findFirst().orElseThrow();
	}

	private static long usedHeapAfterGc() {
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static double seconds(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	private static String percentile(List<Double> sorted, double p) {
		return String.format(java.util.Locale.ROOT, "%.2f", sorted.get((int) Math.floor(p * (sorted.size() - 1))));
	}

}
