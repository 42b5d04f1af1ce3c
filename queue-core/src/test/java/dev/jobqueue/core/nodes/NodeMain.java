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

import dev.jobqueue.core.lock.DistributedLock;
import dev.jobqueue.core.lock.FencedStore;
import dev.jobqueue.core.lock.Lock;
import dev.jobqueue.core.lock.LockListener;

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

}
