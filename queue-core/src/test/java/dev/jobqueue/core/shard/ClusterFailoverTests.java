package dev.jobqueue.core.shard;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.jobqueue.core.queue.Durability;
import dev.jobqueue.test.LocalRedisCluster;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/** A cluster master killed under load: workers go on with the promoted replica; WAIT keeps every acknowledged job. */
class ClusterFailoverTests {

	private static LocalRedisCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = LocalRedisCluster.start();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void withoutWaitWorkersResumeOnThePromotedReplicaAndLostEnqueuesAreCounted() throws Exception {
		FailoverScenario.Result result = failover("cluster-async", Durability.NONE);

		assertThat(result.ranAfterFailover()).isGreaterThanOrEqualTo(300);
		// With the replica frozen the master went on acknowledging: what it held alone is what a failover can lose.
		assertThat(result.acknowledgedWhileReplicaFrozen()).isGreaterThanOrEqualTo(50);
		assertThat(result.notReplicated()).isZero();
		// Asynchronous replication may lose what the master acknowledged last; the number is reported, not bounded.
		assertThat(result.lost()).isBetween(0, result.acknowledged());
	}

	@Test
	void withWaitNoAcknowledgedEnqueueIsLost() throws Exception {
		FailoverScenario.Result result = failover("cluster-wait", Durability.replicas(1, Duration.ofSeconds(1)));

		assertThat(result.ranAfterFailover()).isGreaterThanOrEqualTo(300);
		// With the replica frozen, enqueues were stored but reported as not yet replicated, never acknowledged.
		assertThat(result.acknowledgedWhileReplicaFrozen()).isZero();
		assertThat(result.notReplicated()).isPositive();
		assertThat(result.lost()).isZero();
	}

	private static FailoverScenario.Result failover(String queue, Durability durability) throws InterruptedException {
		LocalRedisServer master = cluster.masterFor("{" + queue + "}");
		return FailoverScenario.run(queue, cluster.client(), queue, durability, new FailoverScenario.Failover() {

			@Override
			public LocalRedisServer master() {
				return master;
			}

			@Override
			public LocalRedisServer replica() {
				return cluster.replicasOf(master).get(0);
			}

			@Override
			public void killMaster(Runnable afterKill) {
				cluster.killAndAwaitFailover(master, afterKill);
			}

		});
	}

}
