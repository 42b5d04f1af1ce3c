package dev.jobqueue.core.shard;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.jobqueue.core.queue.Durability;
import dev.jobqueue.test.LocalRedisSentinel;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/** A Sentinel-watched master killed under load: a Sentinel-aware client follows the promotion without a restart. */
class SentinelFailoverTests {

	private static LocalRedisSentinel sentinel;

	@BeforeAll
	static void startSentinel() {
		sentinel = LocalRedisSentinel.start();
	}

	@AfterAll
	static void stopSentinel() {
		if (sentinel != null) {
			sentinel.close();
		}
	}

	@Test
	void withoutWaitWorkersResumeOnThePromotedReplicaAndLostEnqueuesAreCounted() throws Exception {
		FailoverScenario.Result result = failover("sentinel-async", Durability.NONE);

		assertThat(result.ranAfterFailover()).isGreaterThanOrEqualTo(300);
		// With the replica frozen the master went on acknowledging: what it held alone is what a failover can lose.
		assertThat(result.acknowledgedWhileReplicaFrozen()).isGreaterThanOrEqualTo(50);
		assertThat(result.notReplicated()).isZero();
		assertThat(result.lost()).isBetween(0, result.acknowledged());
	}

	@Test
	void withWaitNoAcknowledgedEnqueueIsLost() throws Exception {
		FailoverScenario.Result result = failover("sentinel-wait", Durability.replicas(1, Duration.ofSeconds(1)));

		assertThat(result.ranAfterFailover()).isGreaterThanOrEqualTo(300);
		// With the replica frozen, enqueues were stored but reported as not yet replicated, never acknowledged.
		assertThat(result.acknowledgedWhileReplicaFrozen()).isZero();
		assertThat(result.notReplicated()).isPositive();
		assertThat(result.lost()).isZero();
	}

	private static FailoverScenario.Result failover(String queue, Durability durability) throws InterruptedException {
		return FailoverScenario.run(queue, sentinel.client(), queue, durability, new FailoverScenario.Failover() {

			@Override
			public LocalRedisServer master() {
				return sentinel.master();
			}

			@Override
			public LocalRedisServer replica() {
				return sentinel.replica();
			}

			@Override
			public void killMaster(Runnable afterKill) {
				sentinel.killMasterAndAwaitFailover(afterKill);
			}

		});
	}

}
