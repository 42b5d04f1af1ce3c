package dev.jobqueue.spring.autoconfigure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis pool holds what every worker may hold at once, so blocking fetches never leave heartbeats waiting. */
class RedisPoolSizingTests {

	@Test
	void aSmallApplicationKeepsTheFloor() {
		assertThat(JobQueueRedisClients.connectionsNeeded(new JobQueueProperties()))
			.isEqualTo(JobQueueRedisClients.MIN_CONNECTIONS);
	}

	@Test
	void theSizeFollowsWorkersAndTheirConcurrency() {
		JobQueueProperties properties = new JobQueueProperties();
		for (int i = 0; i < 10; i++) {
			JobQueueProperties.Queue queue = new JobQueueProperties.Queue();
			queue.setConcurrency(20);
			properties.getQueues().put("q" + i, queue);
		}
		JobQueueProperties.Pool pool = new JobQueueProperties.Pool();
		pool.setQueues(java.util.List.of("q0", "q1"));
		pool.setConcurrency(30);
		properties.getWorker().getPools().put("main", pool);

		// 8 queues of their own (20 handlers, 5 worker threads, 1 store each), a pool over two (30 + 5 + 2), 16 beside.
		assertThat(JobQueueRedisClients.connectionsNeeded(properties)).isEqualTo(8 * 26 + 37 + 16);
	}

	@Test
	void aNodeWithoutWorkersNeedsOnlyTheFloor() {
		JobQueueProperties properties = new JobQueueProperties();
		JobQueueProperties.Queue queue = new JobQueueProperties.Queue();
		queue.setConcurrency(500);
		properties.getQueues().put("big", queue);
		properties.getWorker().setEnabled(false);

		assertThat(JobQueueRedisClients.connectionsNeeded(properties)).isEqualTo(JobQueueRedisClients.MIN_CONNECTIONS);
	}

}
