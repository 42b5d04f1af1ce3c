package dev.jobqueue.core.worker;

import java.time.Duration;

import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.queue.RedisJobQueue;

/**
 * A worker process for {@link PoisonPillTests}, stopped gracefully by a shutdown hook as an application
 * server would. A "pill" job ends the process: {@code System.exit} (the hook runs) or {@code Runtime.halt}
 * (nothing runs), per the second argument. Every handler start is counted in Redis.
 */
public final class PoisonPillWorkerMain {

	record Work(long millis) {
	}

	private PoisonPillWorkerMain() {
	}

	public static void main(String[] args) throws Exception {
		RedisClient redis = RedisClient.create("127.0.0.1", Integer.parseInt(args[0]));
		boolean halt = args[1].equals("halt");
		RedisJobQueue queue = new RedisJobQueue(redis, PoisonPillTests.QUEUE, PoisonPillTests.options());
		Worker worker = Worker.builder(queue).concurrency(5).id("pill-victim")
			.handle("pill", Work.class, (work, ctx) -> {
				redis.hincrBy(PoisonPillTests.STARTS, ctx.jobId(), 1);
				Thread.sleep(work.millis());
				if (halt) {
					Runtime.getRuntime().halt(3);
				}
				System.exit(3);
			})
			.handle("innocent", Work.class, (work, ctx) -> {
				redis.hincrBy(PoisonPillTests.STARTS, ctx.jobId(), 1);
				Thread.sleep(work.millis());
			})
			.build();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> worker.stop(Duration.ofSeconds(1)), "graceful-stop"));
		worker.start();
		Thread.sleep(Duration.ofMinutes(5).toMillis());
	}

}
