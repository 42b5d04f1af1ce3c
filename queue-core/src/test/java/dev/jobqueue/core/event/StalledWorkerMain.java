package dev.jobqueue.core.event;

import java.time.Duration;
import java.util.Map;

import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.worker.Worker;

/** A worker process for {@link EventCrashTests}: starts "slow" jobs, says so in Redis, and hangs until killed. */
public final class StalledWorkerMain {

	private StalledWorkerMain() {
	}

	public static void main(String[] args) throws Exception {
		RedisClient redis = RedisClient.create("127.0.0.1", Integer.parseInt(args[0]));
		RedisJobQueue queue = new RedisJobQueue(redis, EventCrashTests.QUEUE, EventCrashTests.options());
		Worker.builder(queue).id("doomed").handle("slow", Map.class, (payload, ctx) -> {
			redis.set(EventCrashTests.STARTED, ctx.jobId());
			Thread.sleep(Duration.ofMinutes(5).toMillis());
		}).build().start();
		Thread.sleep(Duration.ofMinutes(5).toMillis());
	}

}
