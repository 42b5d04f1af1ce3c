package dev.jobqueue.core.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisDataException;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.job.StopReason;
import dev.jobqueue.core.queue.JobStore;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.SettleResult;
import dev.jobqueue.core.queue.Settlement;
import dev.jobqueue.test.RedisProxy;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Workers under real faults between them and Redis: a network partition, a Redis busy in a long script. */
class FaultTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	/** Runs until {@code SCRIPT KILL} or ARGV[1] ms have passed: Redis answers BUSY to everyone else meanwhile. */
	private static final String BUSY_LOOP = """
			local function now() local t = redis.call('TIME') return t[1] * 1000 + t[2] / 1000 end
			local start = now()
			while now() - start < tonumber(ARGV[1]) do end
			return 'done'
			""";

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
	}

	@Test
	void aWorkerCutOffFromRedisStopsItsHandlerBeforeAnotherWorkerStartsTheJob() {
		QueueOptions options = QueueOptions.defaults().withLeaseDuration(Duration.ofSeconds(5));
		RedisJobQueue queue = new RedisJobQueue(redis.server().client(), "partition", options);
		Queue<String> events = new ConcurrentLinkedQueue<>();
		AtomicReference<JobContext> firstAttempt = new AtomicReference<>();
		AtomicReference<StopReason> firstAttemptToldWhenSecondStarted = new AtomicReference<>();
		JobProcessor<Map> handler = (payload, ctx) -> {
			if (ctx.attempt() == 1) {
				firstAttempt.set(ctx);
				events.add("attempt 1 started");
				try {
					Thread.sleep(Duration.ofMinutes(2).toMillis());
				}
				catch (InterruptedException ex) {
					events.add("attempt 1 stopped: " + ctx.stopReason().orElse(null));
					throw ex;
				}
			}
			else {
				firstAttemptToldWhenSecondStarted.set(firstAttempt.get().stopReason().orElse(null));
				events.add("attempt " + ctx.attempt() + " started");
			}
		};
		try (RedisProxy proxy = RedisProxy.to(redis.server()); RedisClient cutOff = client(proxy)) {
			Worker first = Worker.builder(new RedisJobQueue(cutOff, "partition", options)).id("cut-off")
				.handle("report", Map.class, handler).build().start();
			Job job = Job.of("report", Map.of("month", "2026-11"));
			queue.enqueue(job);
			await().atMost(Duration.ofSeconds(30)).until(() -> events.contains("attempt 1 started"));

			proxy.blackhole();
			Worker second = Worker.builder(queue).id("connected").handle("report", Map.class, handler).build().start();
			await().atMost(Duration.ofSeconds(60)).until(() -> state(queue, job) == JobState.COMPLETED);
			proxy.heal();
			second.close();
			first.close();

			assertThat(events).containsExactly("attempt 1 started", "attempt 1 stopped: LEASE_EXPIRED", "attempt 2 started");
			assertThat(firstAttemptToldWhenSecondStarted).hasValue(StopReason.LEASE_EXPIRED);
			JobInfo info = queue.get(job.id()).orElseThrow();
			assertThat(info.attempts()).isEqualTo(2);
			assertThat(info.failures()).isZero();
		}
	}

	/**
	 * An idle worker blocks on Redis with no read timeout. When that connection goes silent for good (its server's
	 * host died, a failover moved the address), the worker must still pick up new jobs.
	 */
	@Test
	void anIdleWorkerWhoseConnectionsWentSilentStillPicksUpNewJobs() {
		RedisJobQueue queue = new RedisJobQueue(redis.server().client(), "stranded");
		AtomicInteger runs = new AtomicInteger();
		try (RedisProxy proxy = RedisProxy.to(redis.server()); RedisClient throughProxy = client(proxy);
				Worker worker = Worker.builder(new RedisJobQueue(throughProxy, "stranded"))
					.handle("report", Map.class, (payload, ctx) -> runs.incrementAndGet())
					.build()
					.start()) {
			await().atMost(Duration.ofSeconds(30)).until(() -> redis.server().client().info("clients")
				.contains("blocked_clients:1"));

			proxy.strand();
			Job job = Job.of("report", Map.of("month", "2026-11"));
			queue.enqueue(job);

			await().atMost(Duration.ofSeconds(60)).until(() -> state(queue, job) == JobState.COMPLETED);
			assertThat(runs).hasValue(1);
		}
	}

	@Test
	void aCompletionWhoseReplyWasLostIsNotRunAgainAndIsReportedOnce() {
		AtomicInteger completions = new AtomicInteger();
		AtomicInteger runs = new AtomicInteger();
		try (RedisProxy proxy = RedisProxy.to(redis.server()); RedisClient throughProxy = client(proxy)) {
			RedisJobQueue queue = new RedisJobQueue(throughProxy, "lost-outcome");
			Job warmUp = Job.of("report", Map.of("month", "2026-10"));
			Job job = Job.of("report", Map.of("month", "2026-11"));
			queue.enqueue(warmUp);
			try (Worker worker = Worker.builder(queue).listener(new JobExecutionListener() {

				@Override
				public void onCompleted(LeasedJob lease, Duration took) {
					completions.incrementAndGet();
				}

			}).handle("report", Map.class, (payload, ctx) -> {
				if (ctx.jobId().equals(job.id())) {
					runs.incrementAndGet();
					// The next request naming the job is its outcome.
					proxy.cutNextReply(ctx.jobId());
				}
			}).build().start()) {
				// The warm-up loads the settle script: the request whose reply is cut is the one that runs it.
				await().atMost(Duration.ofSeconds(30)).until(() -> completions.get() == 1);
				queue.enqueue(job);
				await().atMost(Duration.ofSeconds(30)).until(() -> state(queue, job) == JobState.COMPLETED);
				await().atMost(Duration.ofSeconds(30)).until(() -> completions.get() > 1);
			}

			assertThat(proxy.repliesCut()).isEqualTo(1);
			assertThat(runs).hasValue(1);
			assertThat(completions).hasValue(2);
			assertThat(queue.get(job.id()).orElseThrow().attempts()).isEqualTo(1);
		}
	}

	/**
	 * With a pool that checks connections before lending them, Redis's BUSY reaches the worker as "Could not get
	 * a resource from the pool"; without, as the BUSY reply itself.
	 */
	@ParameterizedTest(name = "connections checked before use: {0}")
	@ValueSource(booleans = { true, false })
	void aCompletionRedisRefusesWhileBusyIsWrittenOnceRedisAnswersAgain(boolean testOnBorrow) throws Exception {
		ConnectionPoolConfig pool = new ConnectionPoolConfig();
		pool.setTestOnBorrow(testOnBorrow);
		RedisClient client = RedisClient.builder().hostAndPort(redis.server().hostAndPort())
			.clientConfig(timeout(Duration.ofSeconds(10))).poolConfig(pool).build();
		RedisJobQueue queue = new RedisJobQueue(client, "busy",
				QueueOptions.defaults().withLeaseDuration(Duration.ofSeconds(10)));
		List<RuntimeException> refused = new CopyOnWriteArrayList<>();
		JobStore store = new ForwardingJobStore(queue.store()) {

			@Override
			public SettleResult settle(List<Settlement> settlements) {
				try {
					return super.settle(settlements);
				}
				catch (RuntimeException ex) {
					refused.add(ex);
					throw ex;
				}
			}

		};
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch finish = new CountDownLatch(1);
		Job job = Job.of("report", Map.of("month", "2026-11"));
		queue.enqueue(job);
		redis.server().client().configSet("busy-reply-threshold", "100");
		try (client; Jedis probe = new Jedis(redis.server().hostAndPort(), timeout(Duration.ofSeconds(60)));
				Worker worker = Worker.builderForStores(List.of(store)).handle("report", Map.class, (payload, ctx) -> {
					started.countDown();
					finish.await();
				}).build().start()) {
			assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Object> busy = CompletableFuture.supplyAsync(() -> {
				try (Jedis scripting = new Jedis(redis.server().hostAndPort(), timeout(Duration.ofSeconds(60)))) {
					return scripting.eval(BUSY_LOOP, 0, "30000");
				}
			});
			await().atMost(Duration.ofSeconds(30)).until(() -> isBusy(probe));

			finish.countDown();
			await().atMost(Duration.ofSeconds(30)).until(() -> !refused.isEmpty());
			probe.scriptKill();
			busy.handle((result, failure) -> result).join();

			await().atMost(Duration.ofSeconds(30)).until(() -> state(queue, job) == JobState.COMPLETED);
			JobInfo info = queue.get(job.id()).orElseThrow();
			assertThat(info.attempts()).isEqualTo(1);
			assertThat(info.stalls()).isZero();
			assertThat(info.failures()).isZero();
		}
		finally {
			redis.server().client().configSet("busy-reply-threshold", "5000");
		}
	}

	private static boolean isBusy(Jedis probe) {
		try {
			probe.ping();
			return false;
		}
		catch (JedisDataException ex) {
			return ex.getMessage() != null && ex.getMessage().startsWith("BUSY");
		}
	}

	private static JobState state(RedisJobQueue queue, Job job) {
		return queue.get(job.id()).map(JobInfo::state).orElse(null);
	}

	private static RedisClient client(RedisProxy proxy) {
		return RedisClient.builder().hostAndPort(proxy.hostAndPort()).clientConfig(timeout(Duration.ofSeconds(2))).build();
	}

	private static DefaultJedisClientConfig timeout(Duration timeout) {
		return DefaultJedisClientConfig.builder().timeoutMillis((int) timeout.toMillis()).build();
	}

}
