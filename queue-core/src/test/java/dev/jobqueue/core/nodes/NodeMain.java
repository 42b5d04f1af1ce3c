package dev.jobqueue.core.nodes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.event.EventSubscription;
import dev.jobqueue.core.event.RedisEventStore;
import dev.jobqueue.core.lock.DistributedLock;
import dev.jobqueue.core.lock.FencedStore;
import dev.jobqueue.core.lock.Lock;
import dev.jobqueue.core.lock.LockListener;
import dev.jobqueue.core.leader.LeaderElection;
import dev.jobqueue.core.leader.LeadershipListener;
import dev.jobqueue.core.limit.RateLimiter;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.redis.RedisClock;
import dev.jobqueue.core.schedule.FireTimes;
import dev.jobqueue.core.schedule.MisfirePolicy;
import dev.jobqueue.core.schedule.Schedule;
import dev.jobqueue.core.schedule.Scheduler;
import dev.jobqueue.core.limit.Semaphore;

/**
 * The body of a child JVM started by {@link Node}: {@code <mode> <redis port> <args...>}. Each mode is
 * one side of a multi-process race test; it reports what it saw in Redis keys under {@code test:}.
 */
public final class NodeMain {

	private NodeMain() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[1]);
		ConnectionPoolConfig pool = new ConnectionPoolConfig();
		pool.setMaxTotal(128);
		pool.setMaxIdle(128);
		pool.setTestOnBorrow(true);
		RedisClient redis = RedisClient.builder()
			.hostAndPort(new HostAndPort("127.0.0.1", port))
			.clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(10_000).build())
			.poolConfig(pool)
			.build();
		String[] rest = java.util.Arrays.copyOfRange(args, 2, args.length);
		switch (args[0]) {
			case "lock-race" -> lockRace(redis, rest);
			case "lock-pause" -> lockPause(redis, rest);
			case "semaphore" -> semaphore(redis, rest);
			case "semaphore-hold" -> semaphoreHold(redis, rest);
			case "limiter" -> limiter(redis, rest);
			case "leader" -> leader(redis, rest);
			case "scheduler" -> scheduler(redis, rest);
			case "event-group" -> eventGroup(redis, rest);
			default -> throw new IllegalArgumentException("Unknown mode " + args[0]);
		}
	}

	/** {@code <node> <threads> <acquisitions>}: threads race for lock "race", logging enter/exit with their token. */
	static void lockRace(RedisClient redis, String[] args) throws Exception {
		String node = args[0];
		int threads = Integer.parseInt(args[1]);
		AtomicInteger remaining = new AtomicInteger(Integer.parseInt(args[2]));
		AtomicInteger timeouts = new AtomicInteger();
		redis.blpop(60, "test:go:" + node);
		try (DistributedLock locks = new DistributedLock(redis, "jobqueue", LockListener.NONE)) {
			List<Thread> workers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				String holder = node + "-" + t;
				Thread worker = new Thread(() -> {
					while (remaining.getAndDecrement() > 0) {
						try {
							Optional<Lock> lock = locks.tryAcquire("race", Duration.ofSeconds(20), Duration.ofSeconds(60));
							if (lock.isEmpty()) {
								timeouts.incrementAndGet();
								remaining.incrementAndGet();
								continue;
							}
							long token = lock.get().fencingToken();
							redis.rpush("test:log", "enter " + holder + " " + token);
							redis.rpush("test:log", "exit " + holder + " " + token);
							if (!lock.get().release()) {
								redis.incr("test:lost-releases");
							}
						}
						catch (Exception ex) {
							ex.printStackTrace();
							redis.incr("test:errors");
						}
					}
				});
				worker.start();
				workers.add(worker);
			}
			for (Thread worker : workers) {
				worker.join();
			}
		}
		redis.incrBy("test:timeouts", timeouts.get());
		redis.rpush("test:done", node);
	}

	/** {@code <ttl ms>}: takes lock "paused", waits for "test:go", then tries a fenced write and a release. */
	static void lockPause(RedisClient redis, String[] args) throws Exception {
		try (DistributedLock locks = new DistributedLock(redis, "jobqueue", LockListener.NONE)) {
			Lock lock = locks.acquire("paused", Duration.ofMillis(Long.parseLong(args[0]))).orElseThrow();
			redis.hset("test:report", "token", String.valueOf(lock.fencingToken()));
			// The test freezes this JVM here, past the lease, then thaws it and says go.
			while (redis.blpop(1, "test:go") == null) {
			}
			boolean written = new FencedStore(redis, "jobqueue").write("account", lock.fencingToken(), "paused holder");
			boolean released = lock.release();
			redis.hset("test:report", "written", String.valueOf(written));
			redis.hset("test:report", "released", String.valueOf(released));
		}
	}

	/**
	 * Records a holder in "test:inside" until its permit's expiry (so a killed holder counts until its
	 * permit can come back) and keeps the largest number of holders seen at once in "test:max".
	 */
	static final String ENTER = """
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
			local n = redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
			if n > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], n) end
			return n""";

	/** {@code <threads> <limit> <ttl ms>}: threads take permits of "pool", hold them briefly and give them back. */
	static void semaphore(RedisClient redis, String[] args) throws Exception {
		int threads = Integer.parseInt(args[0]);
		Semaphore semaphore = new Semaphore(redis, "pool", Integer.parseInt(args[1]));
		Duration ttl = Duration.ofMillis(Long.parseLong(args[2]));
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread worker = new Thread(() -> {
				java.util.Random random = new java.util.Random();
				while (true) {
					try {
						Optional<Semaphore.Permit> permit = semaphore.tryAcquire(ttl, Duration.ofSeconds(30));
						if (permit.isEmpty()) {
							continue;
						}
						String id = permit.get().id();
						redis.eval(ENTER, List.of("test:inside", "test:max"),
								List.of(String.valueOf(permit.get().expiresAt().toEpochMilli()), id));
						redis.incr("test:grants");
						Thread.sleep(20 + random.nextInt(80));
						redis.zrem("test:inside", id);
						semaphore.release(id);
					}
					catch (Exception ex) {
						ex.printStackTrace();
						redis.incr("test:errors");
					}
				}
			});
			worker.start();
			workers.add(worker);
		}
		for (Thread worker : workers) {
			worker.join();
		}
	}

	/** {@code <limit> <ttl ms>}: takes every permit of "pool" and holds them until killed. */
	static void semaphoreHold(RedisClient redis, String[] args) throws Exception {
		int limit = Integer.parseInt(args[0]);
		Semaphore semaphore = new Semaphore(redis, "pool", limit);
		for (int i = 0; i < limit; i++) {
			Semaphore.Permit permit = semaphore.tryAcquire(Duration.ofMillis(Long.parseLong(args[1])),
					Duration.ofSeconds(60)).orElseThrow();
			redis.eval(ENTER, List.of("test:inside", "test:max"),
					List.of(String.valueOf(permit.expiresAt().toEpochMilli()), permit.id()));
		}
		redis.set("test:holding", "yes");
		Thread.sleep(Duration.ofMinutes(5).toMillis());
	}

	/**
	 * {@code <node> <threads> <limit> <window ms> <burst> <seconds>}: threads hammer limiter "api"; every
	 * admission's Redis time (us) goes to "test:admitted".
	 */
	static void limiter(RedisClient redis, String[] args) throws Exception {
		String node = args[0];
		int threads = Integer.parseInt(args[1]);
		RateLimiter limiter = new RateLimiter(redis, "jobqueue", "api", Integer.parseInt(args[2]),
				Duration.ofMillis(Long.parseLong(args[3])), Integer.parseInt(args[4]), RateLimiter.Listener.NONE);
		redis.blpop(60, "test:go:" + node);
		long end = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[5])).toNanos();
		AtomicInteger attempts = new AtomicInteger();
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread worker = new Thread(() -> {
				while (System.nanoTime() - end < 0) {
					RateLimiter.Decision decision = limiter.attempt();
					attempts.incrementAndGet();
					if (decision.allowed()) {
						java.time.Instant at = decision.decidedAt();
						redis.rpush("test:admitted", String.valueOf(at.getEpochSecond() * 1_000_000 + at.getNano() / 1000));
					}
				}
			});
			worker.start();
			workers.add(worker);
		}
		for (Thread worker : workers) {
			worker.join();
		}
		redis.incrBy("test:attempts", attempts.get());
		redis.rpush("test:done", node);
	}

	/**
	 * {@code <node> <lease ms> <check ms>}: campaigns in election "cron". Elections and step-downs go to
	 * "test:events" stamped with Redis's time; while leader, every 50 ms it takes Redis's time and, if it
	 * still leads after reading it, records the claim "node term time" in "test:claims".
	 */
	static void leader(RedisClient redis, String[] args) throws Exception {
		String node = args[0];
		LeaderElection election = new LeaderElection(redis, "jobqueue", "cron", Duration.ofMillis(Long.parseLong(args[1])),
				Duration.ofMillis(Long.parseLong(args[2])));
		election.addListener(new LeadershipListener() {
			@Override
			public void elected(String name, long term) {
				redis.rpush("test:events", "elected " + node + " " + term + " " + RedisClock.now(redis).toEpochMilli());
			}

			@Override
			public void revoked(String name, long term) {
				redis.rpush("test:events", "revoked " + node + " " + term + " " + RedisClock.now(redis).toEpochMilli());
			}
		});
		election.start();
		while (true) {
			if (election.isLeader()) {
				long term = election.term();
				long at = RedisClock.now(redis).toEpochMilli();
				if (election.isLeader() && election.term() == term) {
					redis.rpush("test:claims", node + " " + term + " " + at);
				}
			}
			Thread.sleep(50);
		}
	}

	/**
	 * {@code <node>}: runs schedule "tick" (every second, fire-once) on queue "ticks" until killed; each
	 * job it enqueues goes to "test:fires" as "node fire-ms missed?".
	 */
	/** {@code <node> <queue>}: a member of consumer group "g" of the queue's events, recording each it gets. */
	static void eventGroup(RedisClient redis, String[] args) throws Exception {
		String node = args[0];
		try (EventSubscription subscription = RedisEventStore.of(redis, "jobqueue", List.of(args[1]))
			.subscribeGroup("g", node, (event) -> redis.rpush("test:seen:" + node,
					event.id() + " " + event.jobId() + " " + event.kind()))) {
			redis.rpush("test:ready", node);
			Thread.sleep(Long.MAX_VALUE);
		}
	}

	static void scheduler(RedisClient redis, String[] args) throws Exception {
		String node = args[0];
		Scheduler scheduler = new Scheduler(redis, QueueOptions.defaults(), "default", Duration.ofMillis(200),
				Duration.ofSeconds(8), (name, fire, id, missed) -> redis.rpush("test:fires",
						node + " " + fire.toEpochMilli() + " " + missed));
		scheduler.add(new Schedule("tick", FireTimes.cron("* * * * * *", java.time.ZoneId.of("UTC")), "tick", null,
				"ticks", MisfirePolicy.FIRE_ONCE));
		scheduler.start();
		Thread.sleep(Duration.ofMinutes(5).toMillis());
	}

}
