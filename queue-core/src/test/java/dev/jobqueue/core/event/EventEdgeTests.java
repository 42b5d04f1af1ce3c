package dev.jobqueue.core.event;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.XAddParams;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.EventOptions;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.QueueKeys;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.Retention;
import dev.jobqueue.core.worker.JobExecutionListener;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.RedisProxy;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/** Events where a job's history could disagree with its state, and streams that are trimmed or deleted. */
class EventEdgeTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private RedisClient client;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
	}

	@Test
	void aCompletionWhoseReplyWasLostAndIsRetriedIsInTheHistoryOnce() {
		AtomicInteger completions = new AtomicInteger();
		try (RedisProxy proxy = RedisProxy.to(redis.server());
				RedisClient throughProxy = RedisClient.builder().hostAndPort(proxy.hostAndPort())
					.clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(2000).build()).build()) {
			RedisJobQueue queue = new RedisJobQueue(throughProxy, "lost");
			RedisEventStore events = RedisEventStore.of(this.client, "jobqueue", List.of("lost"));
			Job warmUp = Job.of("report", Map.of("month", "2026-10"));
			Job job = Job.of("report", Map.of("month", "2026-11"));
			queue.enqueue(warmUp);
			try (Worker worker = Worker.builder(queue).listener(new JobExecutionListener() {

				@Override
				public void onCompleted(LeasedJob lease, Duration took) {
					completions.incrementAndGet();
				}

			}).handle("report", Map.class, (payload, ctx) -> {
				if (ctx.jobId().equals(job.id())) {
					proxy.cutNextReply(ctx.jobId());
				}
			}).build().start()) {
				await().atMost(Duration.ofSeconds(30)).until(() -> completions.get() == 1);
				queue.enqueue(job);
				await().atMost(Duration.ofSeconds(30)).until(() -> completions.get() > 1);
			}
			assertThat(proxy.repliesCut()).isEqualTo(1);
			assertThat(queue.get(job.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
			assertThat(events.jobEvents(job.id())).extracting(JobEvent::kind)
				.containsExactly(JobEvent.CREATED, JobEvent.STARTED, JobEvent.COMPLETED);
		}
	}

	@Test
	void theJanitorTrimsEventsOlderThanTheirAgeAndKeepsTheNewest() {
		RedisJobQueue queue = new RedisJobQueue(this.client, "aged",
				QueueOptions.defaults().withEvents(new EventOptions(EventOptions.Mode.ALL, 100_000, Duration.ofSeconds(1))));
		String key = QueueKeys.of("jobqueue", "aged").key("events");
		for (int i = 0; i < 300; i++) {
			queue.enqueue(Job.of("report", Map.of("n", i)));
		}
		await().pollDelay(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5)).until(() -> true);
		Job newest = Job.of("report", Map.of("n", "newest"));
		queue.enqueue(newest);
		queue.store().trim();

		// Every entry older than the age goes, and only those.
		assertThat(this.client.xlen(key)).isEqualTo(1);
		assertThat(RedisEventStore.of(this.client, "jobqueue", List.of("aged")).recentEvents(1)).extracting(JobEvent::jobId)
			.containsExactly(newest.id());
	}

	@Test
	void aGroupSubscriptionGoesOnAfterItsStreamWasDeleted() {
		RedisJobQueue queue = new RedisJobQueue(this.client, "deleted");
		RedisEventStore events = RedisEventStore.of(this.client, "jobqueue", List.of("deleted"));
		List<String> jobs = new CopyOnWriteArrayList<>();
		try (EventSubscription subscription = events.subscribeGroup("g", "c1", Duration.ofSeconds(1),
				(event) -> jobs.add(event.jobId()))) {
			Job first = Job.of("report", Map.of("n", 1));
			queue.enqueue(first);
			await().atMost(Duration.ofSeconds(10)).until(() -> jobs.contains(first.id()));
			this.client.del(QueueKeys.of("jobqueue", "deleted").key("events"));
			Job second = Job.of("report", Map.of("n", 2));
			queue.enqueue(second);
			await().atMost(Duration.ofSeconds(15)).until(() -> jobs.contains(second.id()));
		}
	}

	@Test
	void aListenerThatAlwaysThrowsOnOneEventDoesNotHoldBackTheEventsAfterIt() {
		RedisJobQueue queue = new RedisJobQueue(this.client, "poison");
		RedisEventStore events = RedisEventStore.of(this.client, "jobqueue", List.of("poison"));
		Job poison = Job.of("report", Map.of("n", 0));
		List<String> delivered = new CopyOnWriteArrayList<>();
		AtomicInteger poisonTries = new AtomicInteger();
		try (EventSubscription subscription = events.subscribeGroup("g", "c1", Duration.ofMillis(500), (event) -> {
			if (event.jobId().equals(poison.id())) {
				poisonTries.incrementAndGet();
				throw new IllegalStateException("poison");
			}
			delivered.add(event.jobId());
		})) {
			queue.enqueue(poison);
			List<Job> after = List.of(Job.of("report", Map.of("n", 1)), Job.of("report", Map.of("n", 2)));
			after.forEach(queue::enqueue);
			await().atMost(Duration.ofSeconds(15))
				.until(() -> delivered.containsAll(after.stream().map(Job::id).toList()) && poisonTries.get() >= 2);
		}
	}

	@Test
	void aBigEntryAfterManySmallOnesLeavesTheStreamItsLengthInEvents() {
		RedisJobQueue queue = queueKeeping("mixed", 3_000);
		RedisEventStore events = RedisEventStore.of(this.client, "jobqueue", List.of("mixed"));
		List<Job> jobs = IntStream.range(0, 1_000).mapToObj((i) -> Job.of("report", Map.of("n", i))).toList();
		jobs.forEach(queue::enqueue);
		assertThat(queue.store().lease(1_000, false).jobs()).hasSize(1_000);

		// 2,000 events, under the 3,000 the stream keeps: none is dropped because the lease's entry holds 1,000.
		assertThat(eventsIn("mixed")).isEqualTo(2_000L);
		assertThat(events.jobEvents(jobs.get(0).id())).extracting(JobEvent::kind)
			.containsExactly(JobEvent.CREATED, JobEvent.STARTED);
	}

	@Test
	void theStreamKeepsAboutItsLengthInEventsWhateverTheSizeOfItsEntries() {
		RedisJobQueue queue = queueKeeping("bounded", 1_000);
		for (int i = 0; i < 2_500; i++) {
			queue.enqueue(Job.of("report", Map.of("n", i)));
		}
		// Over by a tenth at most (100 here) before the oldest go.
		assertThat(eventsIn("bounded")).isBetween(1_000L, 1_100L);
		queue.enqueueAll(IntStream.range(0, 700).mapToObj((i) -> Job.of("report", Map.of("bulk", i))).toList());
		assertThat(queue.store().lease(900, false).jobs()).hasSize(900);
		// Whole entries go, oldest first, until the count is back to its length: the lease's 900 starts stay.
		assertThat(eventsIn("bounded")).isBetween(900L, 1_100L);
		assertThat(this.client.get(QueueKeys.of("jobqueue", "bounded").key("event_count")))
			.isEqualTo(String.valueOf(eventsIn("bounded")));
		assertThat(RedisEventStore.of(this.client, "jobqueue", List.of("bounded")).recentEvents(900))
			.allSatisfy((event) -> assertThat(event.kind()).isEqualTo(JobEvent.STARTED));
	}

	@Test
	void theEventsWrittenAfterTheStreamWasDeletedByHandAreKept() {
		RedisJobQueue queue = queueKeeping("deleted", 100);
		for (int i = 0; i < 105; i++) {
			queue.enqueue(Job.of("report", Map.of("n", i)));
		}
		this.client.del(QueueKeys.of("jobqueue", "deleted").key("events"));
		List<Job> since = IntStream.range(0, 20).mapToObj((i) -> Job.of("report", Map.of("after", i))).toList();
		since.forEach(queue::enqueue);

		// The 20 events written since are all the stream holds: none is dropped for the deleted ones.
		assertThat(RedisEventStore.of(this.client, "jobqueue", List.of("deleted")).recentEvents(100))
			.extracting(JobEvent::jobId)
			.containsExactlyInAnyOrderElementsOf(since.stream().map(Job::id).toList());
	}

	@Test
	void aWorkerEventAndANoteWrittenFirstAfterTheStreamWasDeletedAreKept() {
		RedisJobQueue queue = queueKeeping("restarted", 100);
		RedisEventStore events = RedisEventStore.of(this.client, "jobqueue", List.of("restarted"));
		for (int i = 0; i < 105; i++) {
			queue.enqueue(Job.of("report", Map.of("n", i)));
		}
		this.client.del(QueueKeys.of("jobqueue", "restarted").key("events"));
		queue.store().forWorker("w1").workerEvent("worker_started");
		events.append("restarted", null, "deploy", Map.of("version", "2"));
		for (int i = 0; i < 20; i++) {
			queue.enqueue(Job.of("report", Map.of("after", i)));
		}

		assertThat(events.recentEvents(100)).hasSize(22);
	}

	@Test
	void aLeaseOfMoreJobsThanTheStreamKeepsEventsForLeavesTheirEvents() {
		RedisJobQueue queue = queueKeeping("bulk", 300);
		queue.enqueueAll(IntStream.range(0, 450).mapToObj((i) -> Job.of("report", Map.of("bulk", i))).toList());
		assertThat(queue.store().lease(450, false).jobs()).hasSize(450);

		// Its entry is the newest: it stays whole, whatever its size; the older ones go.
		assertThat(eventsIn("bulk")).isEqualTo(450L);
		queue.store().trim();
		assertThat(eventsIn("bulk")).isEqualTo(450L);
		assertThat(this.client.get(QueueKeys.of("jobqueue", "bulk").key("event_count"))).isEqualTo("450");
	}

	@Test
	void aStreamWrittenBeforeEventsWereCountedIsBoundedByItsLength() {
		QueueKeys store = QueueKeys.of("jobqueue", "upgraded");
		// The previous version trimmed by entries and kept no count.
		for (int i = 0; i < 200; i++) {
			this.client.xadd(store.key("events"), XAddParams.xAddParams(),
					Map.of("event", JobEvent.CREATED, "job", "old-" + i, "type", "report"));
		}
		RedisJobQueue queue = queueKeeping("upgraded", 200);
		for (int i = 0; i < 600; i++) {
			queue.enqueue(Job.of("report", Map.of("n", i)));
		}

		assertThat(eventsIn("upgraded")).isBetween(200L, 220L);
		assertThat(this.client.get(store.key("event_count"))).isEqualTo(String.valueOf(eventsIn("upgraded")));
	}

	@Test
	void aStreamFarOverItsLengthComesBackToItOverCallsAThousandEventsAtATime() {
		QueueKeys store = QueueKeys.of("jobqueue", "shrunk");
		// Counted under a length twenty times as long; the queue now keeps a thousand.
		try (AbstractPipeline pipeline = this.client.pipelined()) {
			for (int i = 0; i < 20_000; i++) {
				pipeline.xadd(store.key("events"), XAddParams.xAddParams(),
						Map.of("event", JobEvent.CREATED, "job", "old-" + i, "type", "report"));
			}
			pipeline.set(store.key("event_count"), "20000");
		}
		RedisJobQueue queue = queueKeeping("shrunk", 1_000);
		queue.enqueue(Job.of("report", Map.of("n", -1)));
		// A call drops a thousand entries, not all 19,001 events over: none blocks Redis long.
		assertThat(this.client.xlen(store.key("events"))).isEqualTo(20_001 - 1_000);
		for (int i = 0; i < 20; i++) {
			queue.enqueue(Job.of("report", Map.of("n", i)));
		}

		assertThat(eventsIn("shrunk")).isBetween(1_000L, 1_100L);
		assertThat(this.client.get(store.key("event_count"))).isEqualTo(String.valueOf(eventsIn("shrunk")));
	}

	/** A queue whose stream keeps about {@code events} events, all kinds, for a day. */
	private RedisJobQueue queueKeeping(String name, long events) {
		return new RedisJobQueue(this.client, name,
				QueueOptions.defaults().withEvents(new EventOptions(EventOptions.Mode.ALL, events, Duration.ofDays(1))));
	}

	/** The events the queue's stream holds, counted as readers expand its entries. */
	private long eventsIn(String queue) {
		QueueKeys store = QueueKeys.of("jobqueue", queue);
		return this.client.xrange(store.key("events"), "-", "+").stream()
			.mapToLong((entry) -> RedisEventStore.events(store, entry).size()).sum();
	}

	@Test
	void aJobReportingProgressThousandsOfTimesKeepsOnlyItsLatestProgressInItsHistory() {
		RedisJobQueue queue = new RedisJobQueue(this.client, "chatty");
		RedisEventStore events = RedisEventStore.of(this.client, "jobqueue", List.of("chatty"));
		Job job = Job.of("import", Map.of("rows", 2000));
		queue.enqueue(job);
		try (Worker worker = Worker.builder(queue).handle("import", Map.class, (payload, ctx) -> {
			for (int row = 1; row <= 2000; row++) {
				ctx.updateProgress(row / 20);
			}
		}).build().start()) {
			await().atMost(Duration.ofSeconds(60)).until(() -> queue.get(job.id()).orElseThrow().state() == JobState.COMPLETED);
		}
		// Every report is in the stream for live subscribers; the job's history, which each of its events rewrites,
		// keeps the run's latest one.
		assertThat(this.client.xlen(QueueKeys.of("jobqueue", "chatty").key("events"))).isGreaterThanOrEqualTo(2003);
		assertThat(events.jobEvents(job.id())).extracting(JobEvent::kind)
			.containsExactly(JobEvent.CREATED, JobEvent.STARTED, JobEvent.PROGRESS, JobEvent.COMPLETED);
		assertThat(events.jobEvents(job.id()).get(2).field("progress")).isEqualTo("100");
	}

	@Test
	void aPoisonPillDeadLetteredByTheReaperSaysWhichAttemptDied() {
		RedisJobQueue queue = new RedisJobQueue(this.client, "poisonpill",
				QueueOptions.defaults().withLeaseDuration(Duration.ofMillis(200)).withMaxStalls(0));
		RedisEventStore events = RedisEventStore.of(this.client, "jobqueue", List.of("poisonpill"));
		Job job = Job.of("report", Map.of("n", 1));
		queue.enqueue(job);
		assertThat(queue.store().lease(1, true).jobs()).hasSize(1);
		// Nobody settles or extends it: the reaper finds the lease expired, past the stall limit.
		await().atMost(Duration.ofSeconds(10)).until(() -> !queue.store().reap(10).deadLettered().isEmpty());

		JobEvent dead = events.jobEvents(job.id()).get(events.jobEvents(job.id()).size() - 1);
		assertThat(dead.kind()).isEqualTo(JobEvent.DEAD);
		// The alert relay reports this as the job's attempts: without it, "0 attempts".
		assertThat(dead.attempt()).isEqualTo(1);
	}

	@Test
	void aNoteWithAFieldNamedLikeANumericOneDoesNotStopSubscriptionsOrTheJobsHistory() {
		RedisJobQueue queue = new RedisJobQueue(this.client, "noted");
		RedisEventStore events = RedisEventStore.of(this.client, "jobqueue", List.of("noted"));
		Job noted = Job.of("report", Map.of("n", 1));
		queue.enqueue(noted);
		List<String> broadcast = new CopyOnWriteArrayList<>();
		List<String> grouped = new CopyOnWriteArrayList<>();
		try (EventSubscription one = events.subscribe((event) -> broadcast.add(event.kind() + " " + event.jobId()));
				EventSubscription two = events.subscribeGroup("g", "c1", Duration.ofMillis(500),
						(event) -> grouped.add(event.kind() + " " + event.jobId()))) {
			events.append("noted", noted.id(), "review", Map.of("attempt", "first", "ms", "soon"));
			Job next = Job.of("report", Map.of("n", 2));
			queue.enqueue(next);
			await().atMost(Duration.ofSeconds(15)).until(() -> broadcast.contains("created " + next.id())
					&& grouped.contains("created " + next.id()));
			assertThat(broadcast).contains("user " + noted.id());
			assertThat(grouped).contains("user " + noted.id());
		}
		JobEvent note = events.jobEvents(noted.id()).get(1);
		assertThat(note.kind()).isEqualTo(JobEvent.USER);
		assertThat(note.attempt()).isNull();
		assertThat(note.field("attempt")).isEqualTo("first");
	}

	@Test
	void anIdUsedAgainAfterItsJobWasForgottenShowsOnlyTheEventsOfItsNewJob() {
		RedisJobQueue queue = new RedisJobQueue(this.client, "reused",
				QueueOptions.defaults().withCompletedRetention(Retention.NONE));
		RedisEventStore events = RedisEventStore.of(this.client, "jobqueue", List.of("reused"));
		// Not an idempotency key (as a job read back from a store): the id is free again once its job is forgotten.
		queue.enqueue(new Job("order-7", "report", null, "{}", 0, Instant.now(), 0, null, null, null, null, null, null,
				false));
		assertThat(queue.settle(queue.store().lease(1, false).jobs().get(0), new Outcome.Completed(null))).isTrue();
		assertThat(queue.get("order-7")).isEmpty();
		queue.enqueue(new Job("order-7", "memo", null, "{}", 0, Instant.now(), 0, null, null, null, null, null, null,
				false));
		assertThat(queue.store().lease(1, false).jobs()).extracting(LeasedJob::id).containsExactly("order-7");

		assertThat(events.jobEvents("order-7")).extracting(JobEvent::kind, JobEvent::jobType)
			.containsExactly(tuple(JobEvent.CREATED, "memo"), tuple(JobEvent.STARTED, "memo"));
		assertThat(events.recentEvents(10)).filteredOn((event) -> "report".equals(event.jobType()))
			.extracting(JobEvent::kind).containsExactly(JobEvent.COMPLETED, JobEvent.STARTED, JobEvent.CREATED);
	}

	@Test
	void aNoteWithAFieldNamedJobsIsRefusedRatherThanReadAsTheEventsOfOtherJobs() {
		RedisJobQueue queue = new RedisJobQueue(this.client, "noted");
		RedisEventStore events = RedisEventStore.of(this.client, "jobqueue", List.of("noted"));
		Job noted = Job.of("report", Map.of("n", 1));
		queue.enqueue(noted);

		// A field 'jobs' is what an entry of many jobs' events holds: readers would take the note's text for those.
		assertThatThrownBy(() -> events.append("noted", noted.id(), "import", Map.of("jobs", "3 of 4")))
			.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'jobs'");
		assertThat(events.recentEvents(10)).extracting(JobEvent::kind, JobEvent::jobId)
			.containsExactly(tuple(JobEvent.CREATED, noted.id()));
	}

}
