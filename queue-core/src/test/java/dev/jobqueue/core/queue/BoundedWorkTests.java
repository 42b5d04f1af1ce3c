package dev.jobqueue.core.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.job.Priority;
import dev.jobqueue.test.RedisServerExtension;

import static dev.jobqueue.core.queue.RedisJobQueueTests.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** No script does work proportional to a queue's length, and every input is bounded. */
class BoundedWorkTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private RedisClient client;

	private RedisJobQueue queue;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
		this.client.sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
		this.queue = new RedisJobQueue(this.client, "bounded");
	}

	@Test
	void cancellingAPendingJobScansNoListAndTheJobIsNeverLeased() {
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 2_000; i++) {
			jobs.add(job("p" + i, 0));
		}
		this.queue.enqueueAll(jobs);

		assertThat(this.queue.cancel("p1000")).isEqualTo(CancelResult.CANCELLED);

		assertThat(commandCalls("lrem")).isZero();
		assertThat(this.queue.get("p1000").orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		assertThat(this.queue.size()).isEqualTo(1_999);
		List<String> leased = new ArrayList<>();
		LeaseBatch batch;
		while (!(batch = this.queue.store().lease(500, false)).jobs().isEmpty()) {
			batch.jobs().forEach((job) -> leased.add(job.id()));
		}
		assertThat(leased).hasSize(1_999).doesNotContain("p1000");
	}

	@Test
	void aLargeBulkEnqueueIsSplitIntoShortScriptCalls() {
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			jobs.add(Job.ofJson("bulk", "{\"n\":" + i + "}"));
		}

		this.queue.enqueueAll(jobs);

		assertThat(this.queue.size()).isEqualTo(1_000);
		assertThat(commandCalls("evalsha") + commandCalls("eval")).isGreaterThanOrEqualTo(10);
	}

	@Test
	void aPayloadOverTheLimitIsRefusedNamingTheLimitAndNothingIsStored() {
		RedisJobQueue small = new RedisJobQueue(this.client, "bounded", QueueOptions.defaults().withMaxPayloadSize(1_000));
		String big = "{\"blob\":\"" + "x".repeat(2_000) + "\"}";

		assertThatExceptionOfType(PayloadTooLargeException.class)
			.isThrownBy(() -> small.enqueue(Job.ofJson("upload", big).withId("big")))
			.withMessageContaining("1000 bytes queue 'bounded' accepts").satisfies((ex) -> assertThat(ex.limit()).isEqualTo(1_000));
		assertThat(small.get("big")).isEmpty();
		assertThat(new RedisJobQueue(this.client, "bounded").options().maxPayloadSize()).isEqualTo(1024 * 1024);
	}

	@Test
	void readingTheDeadLetterQueueIsCappedPerCall() {
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 1_100; i++) {
			jobs.add(job("d" + i, 0));
		}
		this.queue.enqueueAll(jobs);
		List<Settlement> deaths = new ArrayList<>();
		LeaseBatch batch;
		while (!(batch = this.queue.store().lease(1_000, false)).jobs().isEmpty()) {
			batch.jobs().forEach((leased) -> deaths.add(new Settlement(leased, new Outcome.Dead(new JobError("x", null, null, null)))));
		}
		this.queue.store().settle(deaths);

		assertThat(this.queue.deadLetters().size()).isEqualTo(1_100);
		assertThat(this.queue.deadLetters().get(0, -1)).hasSize(1_000);
		assertThat(this.queue.deadLetters().get(1_000, 5_000)).hasSize(100);
	}

	@Test
	void aJobStoredInNoStateIsReportedUnknownNotPending() {
		this.queue.enqueue(job("orphan", 0));
		this.client.del(this.queue.keys().key("ready"));

		assertThat(this.queue.get("orphan").orElseThrow().state()).isEqualTo(JobState.UNKNOWN);
	}

	@Test
	void jobsHandedBackKeepTheOrderTheyWereLeasedInNotTheirIdOrder() {
		for (String id : List.of("c", "a", "b")) {
			this.queue.enqueue(job(id, 0));
			this.queue.enqueue(job("p-" + id, Priority.HIGH));
		}
		List<LeasedJob> leased = this.queue.store().lease(6, false).jobs();
		assertThat(leased).extracting(LeasedJob::id).containsExactly("p-c", "p-a", "p-b", "c", "a", "b");

		// A worker hands back newest first, so the oldest is first in line again.
		List<Settlement> back = new ArrayList<>();
		for (int i = leased.size() - 1; i >= 0; i--) {
			back.add(new Settlement(leased.get(i), new Outcome.HandedBack(Duration.ZERO, true)));
		}
		this.queue.store().settle(back);

		assertThat(this.queue.store().lease(6, false).jobs()).extracting(LeasedJob::id)
			.containsExactly("p-c", "p-a", "p-b", "c", "a", "b");
	}

	@Test
	void queuePositionsNeverWrapSilently() {
		this.queue.enqueue(job("waiting", Priority.HIGH));
		this.client.set(this.queue.keys().key("seq"), String.valueOf((1L << 41) - 1));

		assertThatThrownBy(() -> this.queue.enqueue(job("one-too-many", Priority.HIGH)))
			.hasMessageContaining("queue positions exhausted");

		this.queue.settle(this.queue.dequeue(Duration.ZERO).orElseThrow(), new Outcome.Completed(null));
		this.client.set(this.queue.keys().key("seq"), String.valueOf((1L << 41) - 1));
		this.queue.enqueue(job("after-drain-1", Priority.HIGH));
		this.queue.enqueue(job("after-drain-2", Priority.HIGH));
		assertThat(this.queue.dequeue(Duration.ZERO)).map(LeasedJob::id).contains("after-drain-1");
		assertThat(this.queue.dequeue(Duration.ZERO)).map(LeasedJob::id).contains("after-drain-2");
	}

	private long commandCalls(String command) {
		for (String line : this.client.info("commandstats").split("\r?\n")) {
			if (line.startsWith("cmdstat_" + command + ":")) {
				return Long.parseLong(line.replaceFirst("^[^:]*:calls=(\\d+),.*$", "$1"));
			}
		}
		return 0;
	}

}
