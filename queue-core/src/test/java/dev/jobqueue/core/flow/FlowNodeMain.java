package dev.jobqueue.core.flow;

import java.time.Duration;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.worker.Worker;

/**
 * A worker JVM for {@link FlowCrashTests}: {@code <redis port> <queue> <lease ms> <concurrency> <callbacks: yes|no>}.
 * Handlers report to Redis keys under {@code test:}.
 */
public final class FlowNodeMain {

	record Member(String name, String barrier, int parties) {
	}

	private FlowNodeMain() {
	}

	public static void main(String[] args) throws Exception {
		RedisClient redis = RedisClient.builder()
			.hostAndPort(new HostAndPort("127.0.0.1", Integer.parseInt(args[0])))
			.clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(10_000).build())
			.build();
		RedisJobQueue queue = new RedisJobQueue(redis, args[1],
				QueueOptions.defaults().withLeaseDuration(Duration.ofMillis(Long.parseLong(args[2]))));
		Worker.Builder worker = Worker.builder(queue).concurrency(Integer.parseInt(args[3]))
			.handle("member", Member.class, (member, ctx) -> {
				if (member.barrier() != null) {
					// Waits until every party holds its member, so they all settle at the same moment.
					redis.incr(member.barrier());
					while (Long.parseLong(redis.get(member.barrier())) < member.parties()) {
						Thread.sleep(1);
					}
				}
				redis.rpush("test:ran", member.name());
			})
			.handle("block", Member.class, (member, ctx) -> {
				redis.rpush("test:ran", member.name());
				Thread.sleep(Duration.ofMinutes(10).toMillis());
			});
		if (args[4].equals("yes")) {
			worker.handle("callback", Member.class, (member, ctx) -> redis.incr("test:callbacks:" + member.name()));
		}
		worker.build().start();
		redis.rpush("test:up", ProcessHandle.current().pid() + "");
		Thread.sleep(Duration.ofMinutes(10).toMillis());
	}

}
