package dev.jobqueue.spring.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.queue.JobQueue;
import dev.jobqueue.core.shard.ShardedQueue;
import dev.jobqueue.spring.annotation.JobHandler;
import dev.jobqueue.spring.dispatch.DispatchOptions;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.test.LocalRedisCluster;
import dev.jobqueue.test.LocalRedisSentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The starter on Redis Cluster (sharded queues) and behind Sentinel (a client that follows failovers). */
class ScalingOutAutoConfigurationTests {

	private static LocalRedisCluster cluster;

	private static LocalRedisSentinel sentinel;

	static final Set<String> ran = ConcurrentHashMap.newKeySet();

	@BeforeAll
	static void startRedis() {
		cluster = LocalRedisCluster.start();
		sentinel = LocalRedisSentinel.start();
	}

	@AfterAll
	static void stopRedis() {
		if (cluster != null) {
			cluster.close();
		}
		if (sentinel != null) {
			sentinel.close();
		}
	}

	private static ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JobQueueAutoConfiguration.class))
			.withUserConfiguration(Handlers.class);
	}

	@Test
	void clusterNodesGiveAClusterClientAndShardsSpreadAQueueOverTheMasters() {
		String nodes = cluster.hostAndPorts().stream().map(Object::toString).collect(Collectors.joining(","));
		runner().withPropertyValues("spring.data.redis.cluster.nodes=" + nodes, "jobqueue.queues.emails.shards=6",
				"jobqueue.queues.emails.concurrency=4", "jobqueue.scaling.shard-strategy=round-robin").run((context) -> {
					assertThat(context.getBean(UnifiedJedis.class)).isInstanceOf(RedisClusterClient.class);
					JobQueue queue = context.getBean(JobQueues.class).get("emails");
					assertThat(queue).isInstanceOf(ShardedQueue.class);
					ShardedQueue sharded = (ShardedQueue) queue;
					assertThat(sharded.numShards()).isEqualTo(6);
					assertThat(sharded.tags().stream().map((tag) -> cluster.masterFor("{" + tag + "}").port()).distinct())
						.hasSize(3);

					JobDispatcher dispatcher = context.getBean(JobDispatcher.class);
					for (int i = 0; i < 60; i++) {
						dispatcher.dispatch("greet", "cluster-" + i, DispatchOptions.none().id("cluster-" + i));
					}
					await().atMost(Duration.ofSeconds(60))
						.until(() -> ran.stream().filter((id) -> id.startsWith("cluster-")).count() == 60);
					assertThat(sharded.statsPerShard()).allSatisfy((stats) -> assertThat(stats.completed()).isPositive());
					assertThat(queue.get("cluster-7")).isPresent();
				});
	}

	@Test
	void sentinelSettingsGiveAClientThatFollowsAFailoverWithoutARestart() {
		String nodes = sentinel.sentinels().stream().map(Object::toString).collect(Collectors.joining(","));
		runner().withPropertyValues("spring.data.redis.sentinel.master=" + LocalRedisSentinel.MASTER_NAME,
				"spring.data.redis.sentinel.nodes=" + nodes, "jobqueue.queues.emails.durable=true").run((context) -> {
					assertThat(context.getBean(UnifiedJedis.class)).isInstanceOf(RedisSentinelClient.class);
					JobDispatcher dispatcher = context.getBean(JobDispatcher.class);
					dispatcher.dispatch("greet", "before", DispatchOptions.none().id("sentinel-before"));
					await().atMost(Duration.ofSeconds(30)).until(() -> ran.contains("sentinel-before"));

					var old = sentinel.killMasterAndAwaitFailover();
					old.start();
					// The client finds the new master by itself; a durable dispatch waits for the old master, now its replica.
					await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> dispatcher
						.dispatch("greet", "after", DispatchOptions.none().id("sentinel-after").durably()) != null);
					await().atMost(Duration.ofSeconds(60)).until(() -> ran.contains("sentinel-after"));
				});
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@JobHandler(value = "greet", queue = "emails")
		void greet(String name, JobContext ctx) {
			ran.add(ctx.jobId());
		}

	}

}
