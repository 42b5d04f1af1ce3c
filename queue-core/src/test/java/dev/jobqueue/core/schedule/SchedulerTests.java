package dev.jobqueue.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.redis.RedisClock;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class SchedulerTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	RedisClient client;

	List<String> fires = new CopyOnWriteArrayList<>();

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
	}

	Scheduler scheduler(MisfirePolicy misfire) {
		return new Scheduler(this.client, QueueOptions.defaults(), "default", Duration.ofMillis(100),
				Duration.ofSeconds(1), (name, fire, id, missed) -> this.fires.add(fire.toEpochMilli() + (missed ? " missed" : "")))
			.add(new Schedule("tick", FireTimes.cron("* * * * * *", ZoneId.of("UTC")), "tick", null, "ticks", misfire));
	}

	@Test
	void scheduleAtAndScheduleInAreDelayedJobs() {
		try (Scheduler scheduler = scheduler(MisfirePolicy.FIRE_ONCE)) {
			RedisJobQueue queue = new RedisJobQueue(this.client, "default");
			Instant at = RedisClock.now(this.client).plusSeconds(3600);
			String first = scheduler.scheduleAt(Job.ofJson("report", "{}"), at).id();
			String second = scheduler.scheduleIn(Job.ofJson("report", "{}"), Duration.ofHours(2)).id();

			assertThat(queue.get(first).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
			assertThat(queue.get(second).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
			assertThat(queue.stats().pending()).isZero();
		}
	}

	@Test
	void twoSchedulersTogetherEnqueueEachFireTimeOnce() {
		try (Scheduler one = scheduler(MisfirePolicy.FIRE_ONCE).start();
				Scheduler two = scheduler(MisfirePolicy.FIRE_ONCE).start()) {
			await().atMost(Duration.ofSeconds(30)).until(() -> this.fires.size() >= 5);
		}
		List<Long> times = this.fires.stream().map(Long::valueOf).sorted().toList();
		assertThat(times).doesNotHaveDuplicates();
		for (int i = 1; i < times.size(); i++) {
			assertThat(times.get(i) - times.get(i - 1)).isEqualTo(1000);
		}
		RedisJobQueue ticks = new RedisJobQueue(this.client, "ticks");
		assertThat(ticks.stats().pending()).isEqualTo(times.size());
		assertThat(ticks.get("schedule:tick:" + times.get(0))).isPresent();
	}

	@Test
	void afterAnOutageFireOnceEnqueuesOneJobForAllMissedTimes() {
		Instant stoppedAt = runThenStop(MisfirePolicy.FIRE_ONCE);
		try (Scheduler scheduler = scheduler(MisfirePolicy.FIRE_ONCE).start()) {
			await().atMost(Duration.ofSeconds(30)).until(() -> this.fires.stream().anyMatch((f) -> f.endsWith("missed")));
		}
		String missed = this.fires.stream().filter((f) -> f.endsWith("missed")).findFirst().orElseThrow();
		assertThat(this.fires.stream().filter((f) -> f.endsWith("missed"))).hasSize(1);
		assertThat(Long.parseLong(missed.split(" ")[0])).isGreaterThan(stoppedAt.toEpochMilli() + 2_000);
	}

	@Test
	void afterAnOutageSkipEnqueuesNothingForMissedTimes() {
		Instant stoppedAt = runThenStop(MisfirePolicy.SKIP);
		this.fires.clear();
		try (Scheduler scheduler = scheduler(MisfirePolicy.SKIP).start()) {
			await().atMost(Duration.ofSeconds(30)).until(() -> this.fires.size() >= 2);
		}
		long firstAfter = this.fires.stream().mapToLong(Long::parseLong).min().orElseThrow();
		assertThat(this.fires).noneMatch((f) -> f.endsWith("missed"));
		long restartedAt = firstAfter - 1_000;
		assertThat(restartedAt).isGreaterThan(stoppedAt.toEpochMilli() + 2_000);
	}

	@Test
	void pausedSchedulesDoNotFireAndResumeFromNow() {
		try (Scheduler scheduler = scheduler(MisfirePolicy.FIRE_ONCE).start()) {
			await().atMost(Duration.ofSeconds(30)).until(() -> this.fires.size() >= 1);
			scheduler.pause("tick");
			int firedBeforePause = this.fires.size() + 1;
			Instant pausedAt = RedisClock.now(this.client);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> RedisClock.now(this.client).isAfter(pausedAt.plusSeconds(3)));
			assertThat(this.fires.size()).isLessThanOrEqualTo(firedBeforePause);
			assertThat(scheduler.list().get(0).paused()).isTrue();

			scheduler.resume("tick");
			int resumedWith = this.fires.size();
			await().atMost(Duration.ofSeconds(30)).until(() -> this.fires.size() >= resumedWith + 2);
			assertThat(this.fires).noneMatch((f) -> f.endsWith("missed"));
		}
	}

	@Test
	void listShowsNextFiveFiresAndTheLastAndTriggerRunsOneNow() {
		try (Scheduler scheduler = scheduler(MisfirePolicy.FIRE_ONCE).start()) {
			await().atMost(Duration.ofSeconds(30)).until(() -> this.fires.size() >= 1);
			ScheduleStatus status = scheduler.list().get(0);

			assertThat(status.name()).isEqualTo("tick");
			assertThat(status.description()).isEqualTo("cron '* * * * * *' in UTC");
			assertThat(status.nextFires()).hasSize(5);
			assertThat(status.lastFire()).isNotNull();
			String id = scheduler.trigger("tick");
			assertThat(new RedisJobQueue(this.client, "ticks").get(id)).isPresent();
			assertThatIllegalArgumentException().isThrownBy(() -> scheduler.trigger("nope"))
				.withMessageContaining("No schedule named 'nope'");
		}
	}

	private Instant runThenStop(MisfirePolicy misfire) {
		try (Scheduler scheduler = scheduler(misfire).start()) {
			await().atMost(Duration.ofSeconds(30)).until(() -> this.fires.size() >= 1);
		}
		Instant stoppedAt = RedisClock.now(this.client);
		// An outage of all nodes, longer than the 1 s outage threshold and several fire times.
		await().atMost(Duration.ofSeconds(30)).until(() -> RedisClock.now(this.client).isAfter(stoppedAt.plusSeconds(3)));
		return stoppedAt;
	}

}
