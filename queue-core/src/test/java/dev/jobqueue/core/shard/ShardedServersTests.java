package dev.jobqueue.core.shard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** One queue sharded over three standalone servers, one of which goes away and comes back. */
class ShardedServersTests {

	private static final List<LocalRedisServer> servers = new ArrayList<>();

	private ShardedQueue queue;

	private Worker worker;

	record Email(String to) {
	}

	@BeforeAll
	static void startServers() {
		for (int i = 0; i < 3; i++) {
			servers.add(LocalRedisServer.create().start());
		}
	}

	@AfterAll
	static void stopServers() {
		servers.forEach(LocalRedisServer::close);
	}

	@AfterEach
	void stop() {
		if (this.worker != null) {
			this.worker.stop(Duration.ofSeconds(5));
		}
		if (this.queue != null) {
			this.queue.close();
		}
	}

	@Test
	void aStoppedShardStopsNeitherTheOthersNorReroutesItsJobsWhichRunWhenItReturns() {
		List<RedisClient> clients = servers.stream().map(LocalRedisServer::client).toList();
		this.queue = ShardedQueue.onServers(clients, "emails", QueueOptions.defaults(), ShardStrategy.HASH);
		Set<String> ran = ConcurrentHashMap.newKeySet();
		this.worker = Worker.builderForStores(this.queue.stores()).rotateStores(true).concurrency(4)
			.handle("email", Email.class, (email, ctx) -> ran.add(ctx.jobId()))
			.build()
			.start();
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			jobs.add(Job.of("email", new Email("a" + i)).withId("a-" + i));
		}
		this.queue.enqueueAll(jobs);
		await().atMost(Duration.ofSeconds(30)).until(() -> ran.size() == 300);

		LocalRedisServer down = servers.get(1);
		down.stop();
		List<String> toOthers = new ArrayList<>();
		List<String> toDown = new ArrayList<>();
		for (int i = 0; toOthers.size() < 200 || toDown.size() < 5; i++) {
			Job job = Job.of("email", new Email("b" + i)).withId("b-" + i);
			if (ringShard(job) == 1) {
				assertThatExceptionOfType(ShardUnavailableException.class).isThrownBy(() -> this.queue.enqueue(job))
					.withMessageContaining("emails#1")
					.satisfies((ex) -> assertThat(ex.shard()).isEqualTo("emails#1"));
				toDown.add(job.id());
			}
			else {
				this.queue.enqueue(job);
				toOthers.add(job.id());
			}
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> ran.containsAll(toOthers));
		// Nothing that belongs to the stopped shard went anywhere else.
		for (String id : toDown) {
			assertThat(this.queue.shards().get(0).get(id)).isEmpty();
			assertThat(this.queue.shards().get(2).get(id)).isEmpty();
		}

		down.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.queue.isUp(1));
		for (String id : toDown) {
			this.queue.enqueue(Job.of("email", new Email(id)).withId(id));
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> ran.containsAll(toDown));
		// The jobs stored on the shard before it stopped are still there (AOF) and ran.
		assertThat(this.queue.shards().get(1).stats().completed()).isGreaterThan(toDown.size());
	}

	@Test
	void roundRobinSkipsAStoppedShardAndUsesItAgainOnceItAnswers() {
		List<RedisClient> clients = servers.stream().map(LocalRedisServer::client).toList();
		this.queue = ShardedQueue.onServers(clients, "reports", QueueOptions.defaults(), ShardStrategy.ROUND_ROBIN);
		LocalRedisServer down = servers.get(2);
		down.stop();
		await().atMost(Duration.ofSeconds(30)).until(() -> !this.queue.isUp(2));

		for (int i = 0; i < 100; i++) {
			this.queue.enqueue(Job.of("report", new Email("r" + i)));
		}
		assertThat(this.queue.shards().get(0).size() + this.queue.shards().get(1).size()).isEqualTo(100);

		down.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.queue.isUp(2));
		for (int i = 0; i < 30; i++) {
			this.queue.enqueue(Job.of("report", new Email("s" + i)));
		}
		assertThat(this.queue.sizePerShard()).containsExactly(50L + 10, 50L + 10, 10L);
	}

	private int ringShard(Job job) {
		return new ConsistentHashRing(this.queue.tags()).shardOf(job.id());
	}

}
