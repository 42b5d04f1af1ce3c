package dev.jobqueue.core.shard;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.Durability;
import dev.jobqueue.core.queue.NotReplicatedException;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.LocalRedisServer;

import static org.awaitility.Awaitility.await;

/**
 * A master killed under load: a producer enqueues jobs one by one (each acknowledged enqueue is counted), a
 * worker runs them; the replica is frozen (SIGSTOP) for a while, so the master alone holds what it acknowledges
 * then; the master is killed with SIGKILL, the replica resumed and promoted, and the old master comes back as a
 * replica. Counts the acknowledged enqueues whose job never ran: lost in the failover.
 */
final class FailoverScenario {

	private static final Logger logger = LoggerFactory.getLogger(FailoverScenario.class);

	record Result(int acknowledged, int acknowledgedWhileReplicaFrozen, int lost, int notReplicated,
			int ranAfterFailover) {
	}

	/** The set-up under test. */
	interface Failover {

		LocalRedisServer master();

		LocalRedisServer replica();

		/** Kills the master, runs {@code afterKill}, and waits until the replica took over. */
		void killMaster(Runnable afterKill);

	}

	record Email(String to) {
	}

	private FailoverScenario() {
	}

	static Result run(String label, UnifiedJedis redis, String queueName, Durability durability, Failover failover)
			throws InterruptedException {
		RedisJobQueue queue = new RedisJobQueue(redis, queueName,
				QueueOptions.defaults().withLeaseDuration(Duration.ofSeconds(2)).withDurability(durability));
		Set<String> ran = ConcurrentHashMap.newKeySet();
		AtomicBoolean failedOver = new AtomicBoolean();
		AtomicInteger ranAfter = new AtomicInteger();
		Worker worker = Worker.builder(queue).concurrency(4)
			.handle("email", Email.class, (email, ctx) -> {
				ran.add(ctx.jobId());
				if (failedOver.get()) {
					ranAfter.incrementAndGet();
				}
			})
			.build()
			.start();
		List<String> acknowledged = new CopyOnWriteArrayList<>();
		// Enqueues started once the replica was stopped and acknowledged: what the master alone held.
		AtomicBoolean frozen = new AtomicBoolean();
		AtomicInteger acknowledgedWhileFrozen = new AtomicInteger();
		AtomicInteger notReplicated = new AtomicInteger();
		AtomicBoolean producing = new AtomicBoolean(true);
		Thread producer = new Thread(() -> {
			for (int i = 0; producing.get(); i++) {
				String id = label + "-" + i;
				boolean startedFrozen = frozen.get();
				try {
					queue.enqueue(Job.of("email", new Email(id)).withId(id));
					acknowledged.add(id);
					if (startedFrozen) {
						acknowledgedWhileFrozen.incrementAndGet();
					}
				}
				catch (NotReplicatedException ex) {
					notReplicated.incrementAndGet();
				}
				catch (RuntimeException ex) {
					// Not acknowledged: the producer would send it again; this one only counts acknowledged jobs.
				}
			}
		}, "producer-" + label);
		int whileFrozen;
		try {
			producer.start();
			await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 300);
			LocalRedisServer master = failover.master();
			LocalRedisServer replica = failover.replica();
			replica.pause();
			// An enqueue already on its way when the replica stopped may have been replicated: it does not count.
			frozen.set(true);
			await().atMost(Duration.ofSeconds(60)).until(() -> acknowledgedWhileFrozen.get() >= 50 || notReplicated.get() >= 2);
			whileFrozen = acknowledgedWhileFrozen.get();
			failover.killMaster(replica::resume);
			failedOver.set(true);
			master.start();
			int before = acknowledged.size();
			await().atMost(Duration.ofSeconds(90)).until(() -> acknowledged.size() >= before + 300);
			producing.set(false);
			producer.join();
			// Jobs leased on the lost master run again once their lease expires; everything else runs in order.
			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
				var stats = queue.stats();
				return stats.pending() + stats.scheduled() + stats.active() + stats.retrying() == 0;
			});
		}
		finally {
			producing.set(false);
			producer.join();
			worker.stop(Duration.ofSeconds(5));
		}
		int lost = (int) acknowledged.stream().filter((id) -> !ran.contains(id)).count();
		Result result = new Result(acknowledged.size(), whileFrozen, lost, notReplicated.get(), ranAfter.get());
		logger.info("Failover {} with {}: {}", label, durability, result);
		return result;
	}

}
