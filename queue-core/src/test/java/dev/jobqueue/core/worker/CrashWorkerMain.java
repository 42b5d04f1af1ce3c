package dev.jobqueue.core.worker;

import java.time.Duration;

import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.queue.RedisJobQueue;

/**
 * A worker process for {@link WorkerCrashTests}: runs "crunch" jobs until it is killed. Each run that
 * reaches the end of its handler is counted in Redis, so the test can tell completed runs from
 * duplicates.
 */
public final class CrashWorkerMain {

	record Crunch(int n) {
	}

	private CrashWorkerMain() {
	}

	public static void main(String[] args) throws Exception {
		RedisClient redis = RedisClient.create("127.0.0.1", Integer.parseInt(args[0]));
		RedisJobQueue queue = new RedisJobQueue(redis, WorkerCrashTests.QUEUE, WorkerCrashTests.options());
		Worker.builder(queue).concurrency(8).id("doomed").handle("crunch", Crunch.class, (crunch, ctx) -> {
			Thread.sleep(4);
			redis.hincrBy(WorkerCrashTests.RUNS, ctx.jobId(), 1);
		}).build().start();
		Thread.sleep(Duration.ofMinutes(5).toMillis());
	}

}
