package dev.jobqueue.core.event;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XTrimParams;
import redis.clients.jedis.resps.StreamEntry;

import dev.jobqueue.core.job.BackOff;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobIds;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.nodes.Node;
import dev.jobqueue.core.queue.EventOptions;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.QueueKeys;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.Retention;
import dev.jobqueue.core.queue.Settlement;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.test.RedisProxy;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * What the event stream tells, against a real Redis: every step of a job in its history, in order and in the same
 * script as the step; subscribers that lose their connection miss and repeat nothing; a consumer group delivers
 * each event once and takes over what a dead consumer left.
 */
class EventStoreTests {

	static final String QUEUE = "mail";

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private RedisClient client;

	private RedisJobQueue queue;

	private RedisEventStore events;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
		this.queue = new RedisJobQueue(this.client, QUEUE, QueueOptions.defaults());
		this.events = RedisEventStore.of(this.client, "jobqueue", List.of(QUEUE));
	}

	@AfterEach
	void tearDown() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Test
	void aJobThatRetriesThenDiesHasAnEventForEveryTransitionInItsHistory() {
		Job job = Job.of("flaky", Map.of("n", 1)).withMaxRetries(1).withBackoff(BackOff.fixed(Duration.ofMillis(50)));
		this.queue.enqueue(job);
		try (Worker worker = Worker.builder(this.queue).id("w1").handle("flaky", Map.class, (payload, ctx) -> {
			ctx.updateProgress(50);
			throw new IllegalStateException("boom");
		}).build()) {
			worker.start();
			await().atMost(Duration.ofSeconds(30)).until(() -> this.queue.deadLetters().get(job.id()).isPresent());
		}
		this.queue.deadLetters().retry(job.id());
		this.queue.cancel(job.id());
		this.events.append(QUEUE, job.id(), "audit", Map.of("by", "ada"));

		List<JobEvent> history = this.events.jobEvents(job.id());
		assertThat(history).extracting(JobEvent::kind).containsExactly(JobEvent.CREATED, JobEvent.STARTED,
				JobEvent.PROGRESS, JobEvent.FAILED, JobEvent.RETRIED, JobEvent.PROMOTED, JobEvent.STARTED, JobEvent.PROGRESS,
				JobEvent.FAILED, JobEvent.DEAD, JobEvent.REVIVED, JobEvent.CANCELLED, JobEvent.USER);
		assertThat(history).allSatisfy((event) -> {
			assertThat(event.jobId()).isEqualTo(job.id());
			assertThat(event.jobType()).isEqualTo("flaky");
			assertThat(event.queue()).isEqualTo(QUEUE);
		});
		assertThat(history).filteredOn((event) -> event.kind().equals(JobEvent.STARTED)).extracting(JobEvent::attempt)
			.containsExactly(1, 2);
		assertThat(history).filteredOn((event) -> event.kind().equals(JobEvent.FAILED)).allSatisfy((event) -> {
			assertThat(event.workerId()).isEqualTo("w1");
			assertThat(event.durationMillis()).isNotNegative();
			assertThat(event.error()).contains("boom");
		});
		assertThat(history.get(history.size() - 1).fields()).containsEntry("name", "audit").containsEntry("by", "ada");
		assertThat(history).extracting(JobEvent::timestamp).isSorted();
		assertThat(this.events.recentEvents(3)).extracting(JobEvent::kind).containsExactly(JobEvent.USER,
				JobEvent.CANCELLED, JobEvent.REVIVED);
		assertThat(this.events.recentEvents(100)).filteredOn((event) -> event.jobId() == null)
			.extracting(JobEvent::kind, JobEvent::workerId)
			.containsExactly(tuple(JobEvent.WORKER_STOPPED, "w1"), tuple(JobEvent.WORKER_STARTED, "w1"));
	}

	@Test
	void aQueueWithEventsOffWritesNoneAndLifecycleLeavesProgressOut() {
		RedisJobQueue quiet = queueWith("quiet", EventOptions.Mode.NONE);
		RedisJobQueue lifecycle = queueWith("lifecycle", EventOptions.Mode.LIFECYCLE);
		Job a = Job.of("work", Map.of());
		Job b = Job.of("work", Map.of());
		quiet.enqueue(a);
		lifecycle.enqueue(b);
		try (Worker worker = Worker.builder(quiet, lifecycle).handle("work", Map.class, (payload, ctx) -> {
			ctx.updateProgress(10);
		}).build()) {
			worker.start();
			await().atMost(Duration.ofSeconds(30)).until(() -> quiet.get(a.id()).orElseThrow().state() == JobState.COMPLETED
					&& lifecycle.get(b.id()).orElseThrow().state() == JobState.COMPLETED);
		}
		RedisEventStore both = RedisEventStore.of(this.client, "jobqueue", List.of("quiet", "lifecycle"));
		assertThat(this.client.exists(QueueKeys.of("jobqueue", "quiet").key("events"))).isFalse();
		assertThat(both.jobEvents(a.id())).isEmpty();
		assertThat(both.jobEvents(b.id())).extracting(JobEvent::kind).containsExactly(JobEvent.CREATED, JobEvent.STARTED,
				JobEvent.COMPLETED);
	}

	@Test
	void aJobsHistoryGoesWithTheJobWhenRetentionRemovesIt() {
		RedisJobQueue kept = new RedisJobQueue(this.client, "kept",
				QueueOptions.defaults().withCompletedRetention(new Retention(1, Duration.ofDays(1))));
		Job first = Job.of("work", Map.of());
		Job second = Job.of("work", Map.of());
		kept.enqueue(first);
		try (Worker worker = Worker.builder(kept).handle("work", Map.class, (payload, ctx) -> {
		}).build()) {
			worker.start();
			await().atMost(Duration.ofSeconds(30)).until(() -> kept.get(first.id()).orElseThrow().state() == JobState.COMPLETED);
			kept.enqueue(second);
			await().atMost(Duration.ofSeconds(30)).until(() -> kept.get(first.id()).isEmpty());
		}
		RedisEventStore store = RedisEventStore.of(this.client, "jobqueue", List.of("kept"));
		assertThat(store.jobEvents(first.id())).isEmpty();
		assertThat(store.recentEvents(100)).extracting(JobEvent::jobId).contains(first.id());
		assertThat(store.jobEvents(second.id())).extracting(JobEvent::kind).containsExactly(JobEvent.CREATED,
				JobEvent.STARTED, JobEvent.COMPLETED);
	}

	@Test
	void theJobsOfOneCallShareOneStreamEntryAndEachReadsBackAsItsOwnEvents() {
		RedisJobQueue once = new RedisJobQueue(this.client, "once",
				QueueOptions.defaults().withCompletedRetention(Retention.NONE));
		List<Job> jobs = IntStream.range(0, 40).mapToObj((i) -> Job.of("note", Map.of("n", i))).toList();
		once.enqueueAll(jobs);
		QueueKeys keys = QueueKeys.of("jobqueue", "once");
		assertThat(this.client.xlen(keys.key("events"))).isEqualTo(1);
		RedisEventStore store = RedisEventStore.of(this.client, "jobqueue", List.of("once"));
		List<String> newestFirst = new ArrayList<>(jobs.stream().map(Job::id).toList());
		Collections.reverse(newestFirst);
		assertThat(store.recentEvents(100)).extracting(JobEvent::jobId).containsExactlyElementsOf(newestFirst);
		try (Worker worker = Worker.builder(once).id("w1").handle("note", Map.class, (payload, ctx) -> {
		}).build().start()) {
			await().atMost(Duration.ofSeconds(30)).until(() -> this.client.hlen(keys.key("jobs")) == 0);
		}
		// Forgotten at completion: every event told, none findable by the job's id any more, nothing left behind.
		assertThat(this.client.exists(keys.key("history"))).isFalse();
		assertThat(store.jobEvents(jobs.get(0).id())).isEmpty();
		assertThat(store.recentEvents(1000)).filteredOn((event) -> event.jobId() != null)
			.extracting(JobEvent::kind, JobEvent::jobType)
			.containsOnly(tuple(JobEvent.CREATED, "note"), tuple(JobEvent.STARTED, "note"), tuple(JobEvent.COMPLETED, "note"))
			.hasSize(120);
		assertThat(store.recentEvents(1000)).filteredOn((event) -> JobEvent.COMPLETED.equals(event.kind()))
			.allSatisfy((event) -> {
				assertThat(event.workerId()).isEqualTo("w1");
				assertThat(event.attempt()).isEqualTo(1);
				assertThat(event.durationMillis()).isNotNull();
			});
	}

	@Test
	void aCompletionSettledWithoutItsJobStillTellsTheJobsType() {
		// The worker passes a completed job's type to settle; without the job at hand the envelope supplies it.
		RedisJobQueue once = new RedisJobQueue(this.client, "typed",
				QueueOptions.defaults().withCompletedRetention(Retention.NONE));
		once.enqueueAll(List.of(Job.of("note", Map.of()), Job.of("memo", Map.of())));
		List<LeasedJob> leased = once.store().lease(10, false).jobs();
		assertThat(leased).hasSize(2);
		LeasedJob plain = leased.get(0);
		LeasedJob blind = leased.get(1);
		LeasedJob withoutJob = new LeasedJob(blind.queue(), blind.id(), blind.token(), null, "unreadable",
				blind.attempt(), blind.failures(), blind.leasedAt(), blind.position(), blind.suspect(), blind.tag());
		once.store().settle(List.of(new Settlement(plain, new Outcome.Completed(null)),
				new Settlement(withoutJob, new Outcome.Completed(null))));
		assertThat(RedisEventStore.of(this.client, "jobqueue", List.of("typed")).recentEvents(100))
			.filteredOn((event) -> JobEvent.COMPLETED.equals(event.kind()))
			.extracting(JobEvent::jobId, JobEvent::jobType)
			.containsExactlyInAnyOrder(tuple(plain.id(), plain.job().type()), tuple(blind.id(), blind.job().type()));
	}

	@Test
	void aLeaseAndASettleOfJobsOfTwoTypesEachWriteOneRecordThatReadsBackAsOneEventPerJob() {
		RedisJobQueue grouped = new RedisJobQueue(this.client, "grouped", QueueOptions.defaults());
		List<Job> jobs = List.of(Job.of("note", Map.of()), Job.of("memo", Map.of()), Job.of("note", Map.of()));
		grouped.enqueueAll(jobs);
		List<LeasedJob> leased = grouped.store().lease(10, false).jobs();
		assertThat(leased).extracting(LeasedJob::id).containsExactlyElementsOf(jobs.stream().map(Job::id).toList());
		grouped.store().settle(leased.stream().map((lease) -> new Settlement(lease, new Outcome.Completed(null))).toList());

		QueueKeys store = QueueKeys.of("jobqueue", "grouped");
		List<StreamEntry> entries = this.client.xrange(store.key("events"), "-", "+");
		assertThat(entries).hasSize(3).allSatisfy((entry) -> assertThat(entry.getFields().get("jobs"))
			.doesNotContain("\u001e").contains("\u001d"));
		// Two types in one call: one per job, in the jobs' order.
		assertThat(entries.get(1).getFields().get("jobs")).contains("note\u001dmemo\u001dnote");
		for (StreamEntry entry : entries.subList(0, 2)) {
			assertThat(RedisEventStore.events(store, entry)).extracting(JobEvent::jobId, JobEvent::jobType)
				.containsExactly(tuple(jobs.get(0).id(), "note"), tuple(jobs.get(1).id(), "memo"), tuple(jobs.get(2).id(), "note"));
		}
		// The worker sends completions grouped by lease and type, so their order within the call is free.
		assertThat(RedisEventStore.events(store, entries.get(2))).extracting(JobEvent::jobId, JobEvent::jobType)
			.containsExactlyInAnyOrder(tuple(jobs.get(0).id(), "note"), tuple(jobs.get(1).id(), "memo"), tuple(jobs.get(2).id(), "note"));
		RedisEventStore events = RedisEventStore.of(this.client, "jobqueue", List.of("grouped"));
		for (Job job : jobs) {
			assertThat(events.jobEvents(job.id())).extracting(JobEvent::kind, JobEvent::jobType, JobEvent::attempt)
				.containsExactly(tuple(JobEvent.CREATED, job.type(), null), tuple(JobEvent.STARTED, job.type(), 1),
						tuple(JobEvent.COMPLETED, job.type(), 1));
			assertThat(events.jobEvents(job.id()).get(2).durationMillis()).isNotNegative();
		}
	}

	@Test
	void aJobsEventsAreFoundAmongAnHourOfOtherTrafficWithItsNoteAndOnlyItsLatestProgress() {
		RedisJobQueue busy = new RedisJobQueue(this.client, "busy", QueueOptions.defaults());
		String key = QueueKeys.of("jobqueue", "busy").key("events");
		// The hour before: other jobs' events, more than a page of the scan (Redis runs on this machine's clock).
		long hourAgo = System.currentTimeMillis() - Duration.ofMinutes(59).toMillis();
		for (int i = 0; i < 1200; i++) {
			this.client.xadd(key, XAddParams.xAddParams().id(hourAgo + i * 1000L, 0),
					Map.of("event", JobEvent.CREATED, "job", "other-" + i, "type", "note"));
		}
		Job job = Job.of("report", Map.of());
		Job neighbour = Job.of("report", Map.of());
		busy.enqueueAll(List.of(neighbour, job));
		List<LeasedJob> leased = busy.store().lease(10, false).jobs();
		LeasedJob lease = leased.get(1);
		for (int progress = 1; progress <= 3; progress++) {
			busy.store().updateProgress(lease, progress * 10);
			busy.store().updateProgress(leased.get(0), progress);
			for (int i = 0; i < 300; i++) {
				this.client.xadd(key, XAddParams.xAddParams(), Map.of("event", JobEvent.STARTED, "job", "other-" + i));
			}
		}
		RedisEventStore events = RedisEventStore.of(this.client, "jobqueue", List.of("busy"));
		events.append("busy", job.id(), "audit", Map.of("by", "ada"));
		busy.store().settle(leased.stream().map((each) -> new Settlement(each, new Outcome.Completed(null))).toList());

		List<JobEvent> found = events.jobEvents(job.id());
		assertThat(found).extracting(JobEvent::kind).containsExactly(JobEvent.CREATED, JobEvent.STARTED, JobEvent.PROGRESS,
				JobEvent.USER, JobEvent.COMPLETED);
		assertThat(found).allSatisfy((event) -> {
			assertThat(event.jobId()).isEqualTo(job.id());
			assertThat(event.jobType()).isEqualTo("report");
		});
		assertThat(found.get(2).field("progress")).isEqualTo("30");
		assertThat(found.get(3).fields()).containsEntry("name", "audit").containsEntry("by", "ada");
	}

	@Test
	void aJobCreatedOnAMachineWhoseClockIsHalfAnHourAheadOfRedisHasItsEventsFound() {
		Job job = new Job(JobIds.next(), "report", null, "{}", 0, Instant.now().plus(Duration.ofMinutes(30)), 0, null,
				Map.of(), null, null, null, null, false);
		this.queue.enqueue(job);
		assertThat(this.queue.get(job.id()).orElseThrow().job().createdAt()).isAfter(Instant.now().plus(Duration.ofMinutes(29)));
		assertThat(this.events.jobEvents(job.id())).extracting(JobEvent::kind).containsExactly(JobEvent.CREATED);
	}

	@Test
	void aJobWhoseEarlyEventsWereTrimmedFromTheStreamHasTheRestFound() {
		RedisJobQueue trimmed = new RedisJobQueue(this.client, "trimmed", QueueOptions.defaults());
		Job job = Job.of("report", Map.of());
		trimmed.enqueue(job);
		LeasedJob lease = trimmed.store().lease(1, false).jobs().get(0);
		trimmed.store().settle(List.of(new Settlement(lease, new Outcome.Completed(null))));
		String key = QueueKeys.of("jobqueue", "trimmed").key("events");
		List<StreamEntry> entries = this.client.xrange(key, "-", "+");
		assertThat(entries).hasSize(3);

		this.client.xtrim(key, XTrimParams.xTrimParams().minId(entries.get(2).getID().toString()).exactTrimming());
		assertThat(RedisEventStore.of(this.client, "jobqueue", List.of("trimmed")).jobEvents(job.id()))
			.extracting(JobEvent::kind, JobEvent::id).containsExactly(tuple(JobEvent.COMPLETED, entries.get(2).getID().toString()));
	}

	@Test
	void anIdOrTypeCarryingTheEntrySeparatorsIsRefusedAndForgesNoEventOfAnotherJob() {
		// An idempotency key often comes from outside: RS and US inside it would split the call's entry into records.
		String forged = "k\u001ecompleted\u001fvictim\u001fnote";
		assertThatThrownBy(() -> this.queue.enqueue(Job.of("note", Map.of()).withId(forged)))
			.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
		assertThatThrownBy(() -> this.queue.enqueue(Job.of(forged, Map.of())))
			.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
		assertThat(this.events.recentEvents(100)).extracting(JobEvent::jobId).doesNotContain("victim");
	}

	@Test
	void aSubscriberCutOffForFiveSecondsMissesNothingAndRepeatsNothing() throws Exception {
		RedisProxy proxy = RedisProxy.to(redis.server());
		RedisClient viaProxy = RedisClient.create(proxy.host(), proxy.port());
		this.closeables.add(proxy);
		this.closeables.add(viaProxy);
		this.queue.enqueue(Job.of("before", Map.of()));
		List<String> seen = Collections.synchronizedList(new ArrayList<>());
		EventSubscription subscription = RedisEventStore.of(viaProxy, "jobqueue", List.of(QUEUE))
			.subscribe((event) -> seen.add(key(event)));
		this.closeables.add(subscription);

		enqueue(20);
		await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 20);
		proxy.blackhole();
		enqueue(20);
		// The cut itself is what is tested: it lasts longer than the client's socket timeout.
		Thread.sleep(5_000);
		assertThat(seen).hasSize(20);
		proxy.heal();
		enqueue(20);

		List<String> written = writtenEvents(QUEUE).subList(1, 61);
		await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= 60);
		assertThat(seen).containsExactlyElementsOf(written);
	}

	@Test
	void twoConsumersOfAGroupSeeEachEventOnce() throws Exception {
		Map<String, List<String>> byConsumer = new ConcurrentHashMap<>();
		for (String name : List.of("a", "b")) {
			RedisClient own = RedisClient.create(redis.server().host(), redis.server().port());
			this.closeables.add(own);
			List<String> seen = Collections.synchronizedList(new ArrayList<>());
			byConsumer.put(name, seen);
			this.closeables.add(0, RedisEventStore.of(own, "jobqueue", List.of(QUEUE))
				.subscribeGroup("alerts", name, (event) -> seen.add(key(event))));
		}
		enqueue(300);

		await().atMost(Duration.ofSeconds(30))
			.until(() -> byConsumer.values().stream().mapToInt(List::size).sum() >= 300);
		List<String> all = new ArrayList<>(byConsumer.get("a"));
		all.addAll(byConsumer.get("b"));
		assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(writtenEvents(QUEUE));
	}

	@Test
	void twoJvmsInOneGroupSeeEachEventOnceBetweenThem() throws Exception {
		try (Node a = Node.start("event-group", redis.server().port(), "a", QUEUE);
				Node b = Node.start("event-group", redis.server().port(), "b", QUEUE)) {
			await().atMost(Duration.ofSeconds(120)).until(() -> this.client.llen("test:ready") == 2);
			enqueue(300);

			await().atMost(Duration.ofSeconds(60))
				.until(() -> this.client.llen("test:seen:a") + this.client.llen("test:seen:b") >= 300);
			List<String> all = new ArrayList<>(this.client.lrange("test:seen:a", 0, -1));
			all.addAll(this.client.lrange("test:seen:b", 0, -1));
			assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(writtenEvents(QUEUE));
		}
	}

	@Test
	void eventsLeftPendingByAConsumerThatDiedAreClaimedByAnother() {
		String key = QueueKeys.of("jobqueue", QUEUE).key("events");
		EventSubscription dying = this.events.subscribeGroup("alerts", "dying", Duration.ofMinutes(10), (event) -> {
			throw new IllegalStateException("the consumer dies before it acknowledges");
		});
		enqueue(10);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.client.xpending(key, "alerts").getTotal() == this.client.xlen(key));
		dying.close();

		List<String> claimed = Collections.synchronizedList(new ArrayList<>());
		this.closeables.add(this.events.subscribeGroup("alerts", "survivor", Duration.ofSeconds(1),
				(event) -> claimed.add(key(event))));

		await().atMost(Duration.ofSeconds(30)).until(() -> this.client.xpending(key, "alerts").getTotal() == 0);
		assertThat(claimed).containsExactlyInAnyOrderElementsOf(writtenEvents(QUEUE));
	}

	@Test
	void anEventThatKeepsFailingInItsListenerDoesNotRepeatTheEventsBesideItInItsEntry() {
		List<Job> jobs = IntStream.range(0, 3).mapToObj((i) -> Job.of("note", Map.of("n", i))).toList();
		Map<String, Integer> deliveries = new ConcurrentHashMap<>();
		this.closeables.add(this.events.subscribeGroup("mailer", "m1", Duration.ofMillis(200), (event) -> {
			deliveries.merge(event.jobId(), 1, Integer::sum);
			if (event.jobId().equals(jobs.get(2).id())) {
				throw new IllegalStateException("this one mail cannot be sent");
			}
		}));
		this.queue.enqueueAll(jobs);
		// One record tells the three creations.
		assertThat(this.client.xrange(QueueKeys.of("jobqueue", QUEUE).key("events"), "-", "+"))
			.singleElement().satisfies((entry) -> assertThat(entry.getFields().get("jobs")).doesNotContain("\u001e")
				.startsWith(JobEvent.CREATED + "\u001f" + jobs.get(0).id() + "\u001d" + jobs.get(1).id()));
		// Claimed again and again: each time only the failing event is delivered once more.
		await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.getOrDefault(jobs.get(2).id(), 0) >= 4);
		assertThat(deliveries).containsEntry(jobs.get(0).id(), 1).containsEntry(jobs.get(1).id(), 1);
	}

	@Test
	void anEventItsGroupListenerKeepsFailingIsGivenUpAfterTenDeliveriesAndTheOthersStillFlow() {
		String key = QueueKeys.of("jobqueue", QUEUE).key("events");
		Job poison = Job.of("poison", Map.of());
		AtomicInteger poisonDeliveries = new AtomicInteger();
		List<String> seen = Collections.synchronizedList(new ArrayList<>());
		this.closeables.add(this.events.subscribeGroup("alerts", "only", Duration.ofMillis(100), (event) -> {
			if (event.jobId().equals(poison.id())) {
				poisonDeliveries.incrementAndGet();
				throw new IllegalStateException("this listener cannot handle it");
			}
			seen.add(key(event));
		}));
		this.queue.enqueue(poison);

		await().atMost(Duration.ofSeconds(60)).until(() -> this.client.xlen(key) == 1
				&& this.client.xpending(key, "alerts").getTotal() == 0);
		assertThat(poisonDeliveries).hasValue(StreamReader.MAX_DELIVERIES);
		enqueue(5);
		await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 5);
		assertThat(seen).containsExactlyElementsOf(writtenEvents(QUEUE).subList(1, 6));
		assertThat(poisonDeliveries).hasValue(StreamReader.MAX_DELIVERIES);
	}

	private RedisJobQueue queueWith(String name, EventOptions.Mode mode) {
		return new RedisJobQueue(this.client, name,
				QueueOptions.defaults().withEvents(new EventOptions(mode, 1_000, Duration.ofDays(1))));
	}

	private void enqueue(int count) {
		this.queue.enqueueAll(IntStream.range(0, count).mapToObj((i) -> Job.of("note", Map.of("n", i))).toList());
	}

	/** Every event written, in order, as {@link #key} names them: the events of one script call share a stream id. */
	private List<String> writtenEvents(String queue) {
		QueueKeys store = QueueKeys.of("jobqueue", queue);
		return this.client.xrange(store.key("events"), "-", "+").stream()
			.flatMap((entry) -> RedisEventStore.events(store, entry).stream()).map(EventStoreTests::key).toList();
	}

	private static String key(JobEvent event) {
		return event.id() + " " + event.jobId() + " " + event.kind();
	}

}
