package dev.jobqueue.spring.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.jobqueue.core.flow.FlowStatus;
import dev.jobqueue.core.flow.Flows;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.limit.RateLimiter;
import dev.jobqueue.core.limit.Semaphore;
import dev.jobqueue.core.lock.DistributedLock;
import dev.jobqueue.core.lock.Lock;
import dev.jobqueue.core.lock.LockListener;
import dev.jobqueue.core.monitor.WorkerRegistry;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.shard.ShardedQueue;
import dev.jobqueue.spring.dashboard.DashboardTestApplication.Handlers;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in headless Chromium, with write actions on and no Spring Security: what a user sees
 * and clicks. Screenshots go to target/dashboard-screenshots.
 */
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobqueue.queues.work.concurrency=2", "jobqueue.dashboard.enabled=true",
				"jobqueue.dashboard.read-only=false", "jobqueue.dashboard.refresh-interval=2s",
				"jobqueue.monitor.flush-interval=200ms", "jobqueue.queues.big.shards=3", "jobqueue.monitor.heartbeat-interval=1s" })
@DirtiesContext
class DashboardBrowserTests {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	/** A wait that looks again when htmx swapped the element it was reading (live updates do, any time). */
	private static FluentWait<WebDriver> patiently() {
		return new WebDriverWait(chrome, PATIENCE).ignoring(StaleElementReferenceException.class);
	}

	private static ChromeDriver chrome;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", () -> LocalRedisServer.shared().port());
		registry.add("jobqueue.key-prefix", () -> "dash");
	}

	@LocalServerPort
	int port;

	@Autowired
	JobQueues queues;

	@Autowired
	JobDispatcher dispatcher;

	@Autowired
	WorkerRegistry registry;

	@Autowired
	Handlers handlers;

	@BeforeAll
	static void startBrowser() {
		chrome = Chromium.start();
	}

	@AfterAll
	static void stopBrowser() {
		if (chrome != null) {
			chrome.quit();
		}
	}

	@Test
	void theOverviewShowsEachQueueWithCountsThatMatchItsJobsAndTheLiveWorkers() {
		RedisJobQueue archive = otherQueue("archive");
		archive.enqueue(Job.ofJson("report", "{}").withId("archive-done"));
		archive.enqueue(Job.ofJson("report", "{}").withId("archive-dead"));
		settle(archive, "archive-done");
		for (int i = 0; i < 3; i++) {
			archive.enqueue(Job.ofJson("report", "{\"n\":" + i + "}"));
		}
		archive.enqueue(Job.ofJson("report", "{}").withDelay(Duration.ofHours(1)));
		archive.enqueue(Job.ofJson("report", "{}").withDelay(Duration.ofHours(2)));

		open("/jobqueue");
		Map<String, String> expected = Map.of("pending", "3", "scheduled", "2", "active", "0", "retrying", "0",
				"completed", "1", "dead", "1", "cancelled", "0");
		expected.forEach((state, count) -> assertThat(cell("archive", state).getText()).as(state).isEqualTo(count));
		assertThat(chrome.findElement(By.cssSelector("tr[data-queue='work']")).getText()).contains("running");
		await().atMost(PATIENCE).untilAsserted(() -> assertThat(chrome.findElement(By.cssSelector("table.workers"))
			.getText()).contains("work"));
		Chromium.screenshot(chrome, "overview");
	}

	@Test
	void theChartDrawsTheProcessedJobsPerMinute() {
		for (int i = 0; i < 5; i++) {
			this.dispatcher.dispatch("ok", Map.of("n", i));
		}
		open("/jobqueue");
		// The page polls: the chart is redrawn with the new counts without a reload.
		await().atMost(PATIENCE).untilAsserted(() -> assertThat(((Number) chrome.executeScript(
				"var c = document.querySelector('#live .chart')._uplot; "
						+ "return c ? c.data[1].reduce(function (a, b) { return a + b; }, 0) : 0;"))
			.longValue()).isGreaterThanOrEqualTo(5));
		// Read in one script: a poll may swap the chart's element between two WebDriver calls.
		assertThat(chrome.executeScript("var c = document.querySelector('#live .chart'); "
				+ "return c.getAttribute('data-points') + ' ' + c.querySelectorAll('canvas').length;")).isEqualTo("60 1");
	}

	@Test
	void countsChangeLiveWithoutAReload() {
		RedisJobQueue live = otherQueue("live");
		live.enqueue(Job.ofJson("report", "{}"));
		open("/jobqueue");
		patiently().until((driver) -> cell("live", "pending").getText().equals("1"));
		chrome.executeScript("window.notReloaded = true;");

		live.enqueue(Job.ofJson("report", "{}"));
		live.enqueue(Job.ofJson("report", "{}"));

		patiently().until((driver) -> cell("live", "pending").getText().equals("3"));
		assertThat(chrome.executeScript("return window.notReloaded === true;")).isEqualTo(true);
	}

	@Test
	void aDeadLetterIsRetriedWithAClickAndThenRuns() {
		this.handlers.failing.set(true);
		String id = this.dispatcher.dispatch("flaky", Map.of("order", 7)).id();
		RedisJobQueue work = this.queues.redisQueue("work");
		await().atMost(PATIENCE).until(() -> work.get(id).orElseThrow().state() == JobState.DEAD);
		this.handlers.failing.set(false);

		open("/jobqueue/queue?name=work&state=dead");
		WebElement row = chrome.findElement(By.cssSelector("tr[data-job='" + id + "']"));
		assertThat(row.getText()).contains("card declined <b>boom</b>");
		row.findElement(By.cssSelector("input[name='id']")).click();
		Chromium.screenshot(chrome, "dead-letters");
		chrome.findElement(By.id("retry-selected")).click();

		patiently().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"),
				"1 job(s) put back to pending."));
		await().atMost(PATIENCE).until(() -> work.get(id).orElseThrow().state() == JobState.COMPLETED);
		assertThat(work.get(id).orElseThrow().result()).isEqualTo("\"ran\"");
		open("/jobqueue/job?queue=work&id=" + id);
		assertThat(chrome.findElement(By.cssSelector(".badge.state-completed")).getText()).isEqualTo("completed");
		List<String> history = chrome.findElements(By.cssSelector("#history tbody tr td:nth-child(2)")).stream()
			.map(WebElement::getText).toList();
		assertThat(history).startsWith("created", "started").contains("dead", "revived").endsWith("completed");
		assertThat(chrome.findElement(By.id("history")).getText()).contains("card declined <b>boom</b>");
	}

	@Test
	void purgingAsksForConfirmationFirst() {
		RedisJobQueue purge = otherQueue("purge");
		purge.enqueue(Job.ofJson("report", "{}").withId("p1"));
		settle(purge, null);
		open("/jobqueue/queue?name=purge&state=dead");

		chrome.findElement(By.id("purge")).click();
		assertThat(chrome.switchTo().alert().getText()).contains("Delete all 1 dead jobs of purge");
		chrome.switchTo().alert().dismiss();
		assertThat(purge.deadLetters().size()).isEqualTo(1);

		chrome.findElement(By.id("purge")).click();
		chrome.switchTo().alert().accept();
		patiently().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"),
				"1 dead job(s) deleted."));
		assertThat(purge.deadLetters().size()).isZero();
	}

	@Test
	void aScriptInAPayloadOrErrorIsShownAsText() {
		RedisJobQueue hostile = otherQueue("hostile");
		String payload = "{\"name\":\"<script>window.owned=1</script><img src=x onerror=\\\"window.owned=2\\\">\"}";
		hostile.enqueue(Job.ofJson("report", payload).withId("x1").withMetadata("note", "<script>window.owned=3</script>"));
		LeasedJob leased = hostile.store().lease(1, false).jobs().get(0);
		hostile.settle(leased, new Outcome.Dead(new JobError("<script>window.owned=4</script>", "java.lang.IllegalStateException",
				"java.lang.IllegalStateException: <script>window.owned=5</script>\n\tat app.Jobs.run(Jobs.java:1)", "w1")));

		open("/jobqueue/job?queue=hostile&id=x1");
		assertThat(chrome.findElement(By.id("payload")).getText()).contains("<script>window.owned=1</script><img src=x");
		assertThat(chrome.findElement(By.id("stack-trace")).getText()).contains("<script>window.owned=5</script>");
		assertThat(chrome.findElement(By.tagName("main")).getText()).contains("<script>window.owned=3</script>",
				"<script>window.owned=4</script>");
		assertThat(chrome.findElements(By.cssSelector("main img, main script"))).isEmpty();
		assertThat(chrome.executeScript("return typeof window.owned;")).isEqualTo("undefined");
		Chromium.screenshot(chrome, "job");

		open("/jobqueue/queue?name=hostile&state=dead");
		assertThat(chrome.findElement(By.cssSelector("tr[data-job='x1']")).getText()).contains("<script>window.owned=4</script>");
		open("/jobqueue/search?id=" + URLEncoder.encode("<script>window.owned=6</script>", StandardCharsets.UTF_8));
		assertThat(chrome.findElement(By.tagName("main")).getText()).contains("<script>window.owned=6</script>");
		assertThat(chrome.executeScript("return typeof window.owned;")).isEqualTo("undefined");
	}

	@Test
	void aScheduleShowsItsNextFiresAndRunsPausesAndResumesByClick() {
		open("/jobqueue/schedules");
		WebElement row = chrome.findElement(By.cssSelector("tr[data-schedule='nightly']"));
		assertThat(row.getText()).contains("nightly_report", "work", "active");
		assertThat(row.findElement(By.cssSelector("td.fires")).getText().lines()).hasSize(5)
			.allSatisfy((fire) -> assertThat(fire).contains("03:00:00 UTC"));
		int before = this.handlers.reports.get();

		row.findElement(By.cssSelector("button[data-action='trigger']")).click();
		chrome.switchTo().alert().accept();
		patiently().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"),
				"Schedule run"));
		await().atMost(PATIENCE).until(() -> this.handlers.reports.get() == before + 1);

		chrome.findElement(By.cssSelector("tr[data-schedule='nightly'] button[data-action='pause']")).click();
		chrome.switchTo().alert().accept();
		patiently().until(ExpectedConditions.textToBePresentInElementLocated(
				By.cssSelector("tr[data-schedule='nightly']"), "paused"));
		chrome.findElement(By.cssSelector("tr[data-schedule='nightly'] button[data-action='resume']")).click();
		patiently().until(ExpectedConditions.textToBePresentInElementLocated(
				By.cssSelector("tr[data-schedule='nightly']"), "active"));
		Chromium.screenshot(chrome, "schedules");
	}

	@Test
	void searchingByIdOpensTheJobPage() {
		String id = this.dispatcher.dispatch("ok", Map.of("find", "me")).id();
		open("/jobqueue");
		WebElement search = chrome.findElement(By.name("id"));
		search.sendKeys(id);
		search.submit();
		patiently().until(ExpectedConditions.urlContains("/jobqueue/job?queue=work"));
		assertThat(chrome.findElement(By.id("payload")).getText()).contains("\"find\" : \"me\"");
	}

	@Test
	void jobListsPageNewestFirst() {
		RedisJobQueue paged = otherQueue("paged");
		for (int i = 0; i < 30; i++) {
			paged.enqueue(Job.ofJson("report", "{}").withId(String.format("job-%02d", i)));
		}
		open("/jobqueue/queue?name=paged&state=pending");
		List<WebElement> rows = chrome.findElements(By.cssSelector("table.jobs tbody tr"));
		assertThat(rows).hasSize(25);
		assertThat(rows.get(0).getAttribute("data-job")).isEqualTo("job-29");
		chrome.findElement(By.cssSelector("a[rel='next']")).click();
		patiently().until(ExpectedConditions.urlContains("page=2"));
		assertThat(chrome.findElements(By.cssSelector("table.jobs tbody tr"))).extracting((row) -> row.getAttribute("data-job"))
			.containsExactly("job-04", "job-03", "job-02", "job-01", "job-00");
	}

	@Test
	void thePagesFitAPhoneScreen() {
		otherQueue("phone").enqueue(Job.ofJson("report", "{}"));
		try {
			chrome.manage().window().setSize(new Dimension(390, 844));
			open("/jobqueue");
			long overflow = ((Number) chrome.executeScript(
					"return document.documentElement.scrollWidth - document.documentElement.clientWidth;")).longValue();
			assertThat(overflow).isLessThanOrEqualTo(1);
			Chromium.screenshot(chrome, "overview-phone");
		}
		finally {
			chrome.manage().window().setSize(new Dimension(1280, 900));
		}
	}

	@Test
	void aBatchShowsItsProgressLiveAndIsCancelledAfterConfirmation() {
		RedisJobQueue flowQueue = otherQueue("flows");
		Flows flows = new Flows(flowQueue);
		String hostile = "<script>window.owned=7</script>";
		flows.batch().id("import-42").add("report", Map.of("n", 1)).add("report", Map.of("n", 2))
			.add("report", Map.of("n", 3)).dispatch();
		flows.chain().id(hostile).add("report", Map.of("step", 1)).add("report", Map.of("step", 2)).dispatch();

		open("/jobqueue/flows");
		WebElement batch = chrome.findElement(By.cssSelector("tr[data-flow='import-42']"));
		assertThat(batch.getText()).contains("batch", "running", "0 successful · 0 failed · 0 cancelled · 3 pending of 3");
		assertThat(chrome.findElement(By.cssSelector("table.flows")).getText()).contains(hostile, "chain", "step 1 of 2");
		chrome.executeScript("window.notReloaded = true;");

		// One member completes; the page shows it without a reload.
		LeasedJob first = flowQueue.store().lease(1, false).jobs().get(0);
		flowQueue.settle(first, new Outcome.Completed("{}"));
		patiently().until((driver) -> chrome.findElement(By.cssSelector("tr[data-flow='import-42']"))
			.getText().contains("1 successful · 0 failed · 0 cancelled · 2 pending of 3"));
		assertThat(chrome.executeScript("return window.notReloaded === true;")).isEqualTo(true);
		assertThat(chrome.executeScript("return typeof window.owned;")).isEqualTo("undefined");
		Chromium.screenshot(chrome, "flows");

		chrome.findElement(By.cssSelector("tr[data-flow='import-42'] a")).click();
		patiently().until(ExpectedConditions.presenceOfElementLocated(By.id("cancel-flow")));
		chrome.findElement(By.id("cancel-flow")).click();
		assertThat(chrome.switchTo().alert().getText()).contains("Cancel batch import-42?");
		chrome.switchTo().alert().dismiss();
		assertThat(flows.batchStatus("import-42").orElseThrow().status()).isEqualTo(FlowStatus.RUNNING);

		chrome.findElement(By.id("cancel-flow")).click();
		chrome.switchTo().alert().accept();
		patiently().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"),
				"Cancel requested"));
		assertThat(chrome.findElement(By.cssSelector("dl.facts")).getText()).contains("cancelled",
				"1 successful · 0 failed · 2 cancelled · 0 pending of 3");
		assertThat(chrome.findElements(By.id("cancel-flow"))).isEmpty();
		assertThat(flows.batchStatus("import-42").orElseThrow().status()).isEqualTo(FlowStatus.CANCELLED);
		Chromium.screenshot(chrome, "batch");

		open("/jobqueue/flow?queue=flows&id=" + URLEncoder.encode(hostile, StandardCharsets.UTF_8));
		assertThat(chrome.findElement(By.tagName("h1")).getText()).isEqualTo("Chain " + hostile);
		assertThat(chrome.findElements(By.cssSelector("main script"))).isEmpty();
		assertThat(chrome.executeScript("return typeof window.owned;")).isEqualTo("undefined");
	}

	@Test
	void locksSemaphoresAndLimitersShowTheirHolders() throws Exception {
		String hostile = "<script>window.owned=8</script>";
		try (DistributedLock locks = new DistributedLock(this.queues.redis(), "dash", LockListener.NONE)) {
			Lock lock = locks.acquire("nightly-export", Duration.ofMinutes(5)).orElseThrow();
			locks.acquire(hostile, Duration.ofMinutes(5)).orElseThrow();
			new Semaphore(this.queues.redis(), "dash", "smtp", 3).acquire(Duration.ofMinutes(5)).orElseThrow();
			new RateLimiter(this.queues.redis(), "dash", "partner-api", 100, Duration.ofHours(1), 10,
					RateLimiter.Listener.NONE).attempt();

			open("/jobqueue/coordination");
			assertThat(chrome.findElement(By.cssSelector("tr[data-primitive='nightly-export']")).getText())
				.contains("lock", "token " + lock.fencingToken());
			assertThat(chrome.findElement(By.cssSelector("tr[data-primitive='smtp']")).getText()).contains("semaphore",
					"permit", "2 of 3");
			assertThat(chrome.findElement(By.cssSelector("tr[data-primitive='partner-api']")).getText())
				.contains("rate limiter", "9 of 100", "burst 10");
			assertThat(chrome.findElement(By.cssSelector("table.coordination")).getText()).contains(hostile);
			assertThat(chrome.findElements(By.cssSelector("main script"))).isEmpty();
			assertThat(chrome.executeScript("return typeof window.owned;")).isEqualTo("undefined");
			Chromium.screenshot(chrome, "locks");

			lock.release();
			patiently().until((driver) -> chrome
				.findElement(By.cssSelector("tr[data-primitive='nightly-export']")).getText().contains("free"));
		}
	}

	@Test
	void aShardedQueueShowsPerShardCountsAndJobsFromEveryShard() {
		ShardedQueue big = (ShardedQueue) this.queues.get("big");
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 9; i++) {
			ids.add(big.enqueue(Job.ofJson("report", "{\"n\":" + i + "}").withDelay(Duration.ofHours(1 + i))).id());
		}
		// A job on a shard other than the first (ids are random: shard 2 alone held none of nine in one run in 40).
		String onLaterShard = ids.stream().filter((id) -> big.shards().get(0).get(id).isEmpty()).findFirst().orElseThrow();

		open("/jobqueue");
		assertThat(chrome.findElement(By.cssSelector("tr[data-queue='big']")).getText()).contains("3 shards");
		// The overview may come from the last second's cache; its poll brings the new count.
		patiently().until((driver) -> cell("big", "scheduled").getText().equals("9"));
		open("/jobqueue/queue?name=big&state=scheduled");
		for (int shard = 1; shard <= 3; shard++) {
			assertThat(chrome.findElement(By.cssSelector("tr[data-shard='" + shard + "'] td[data-state='scheduled']"))
				.getText()).isEqualTo(String.valueOf(big.statsPerShard().get(shard - 1).scheduled()));
		}
		List<String> newestFirst = new ArrayList<>(ids);
		Collections.reverse(newestFirst);
		List<WebElement> rows = chrome.findElements(By.cssSelector("table.jobs tbody tr"));
		assertThat(rows).extracting((row) -> row.getAttribute("data-job")).containsExactlyElementsOf(newestFirst);
		WebElement row = chrome.findElement(By.cssSelector("tr[data-job='" + onLaterShard + "']"));
		int shardOf = big.shards().get(1).get(onLaterShard).isPresent() ? 2 : 3;
		assertThat(row.findElement(By.tagName("td")).getText()).isEqualTo(String.valueOf(shardOf));
		Chromium.screenshot(chrome, "sharded-queue");

		// Writes span the shards: pausing the queue pauses every shard.
		chrome.findElement(By.cssSelector(".title button")).click();
		chrome.switchTo().alert().accept();
		patiently().until(ExpectedConditions.textToBePresentInElementLocated(
				By.cssSelector(".notice[role='status']"), "Queue paused."));
		assertThat(big.shards()).allSatisfy((shard) -> assertThat(shard.isPaused()).isTrue());
		big.resume();
		open("/jobqueue/queue?name=big&state=scheduled");
		row = chrome.findElement(By.cssSelector("tr[data-job='" + onLaterShard + "']"));

		row.findElement(By.tagName("a")).click();
		patiently().until(ExpectedConditions.urlContains("/jobqueue/job?queue=big"));
		assertThat(chrome.findElement(By.tagName("h1")).getText()).contains(onLaterShard);
		open("/jobqueue/search?id=" + onLaterShard);
		assertThat(chrome.getCurrentUrl()).contains("/jobqueue/job?queue=big");
	}

	private void open(String path) {
		chrome.get("http://localhost:" + this.port + path);
		patiently().until((driver) -> "complete".equals(chrome.executeScript("return document.readyState")));
	}

	private static WebElement cell(String queue, String state) {
		return chrome.findElement(By.cssSelector("tr[data-queue='" + queue + "'] td[data-state='" + state + "']"));
	}

	/** A queue no worker of this application takes jobs from, made known to the dashboard. */
	private RedisJobQueue otherQueue(String name) {
		this.registry.addQueues(List.of(name));
		return new RedisJobQueue(this.queues.redis(), name, QueueOptions.defaults().withKeyPrefix("dash"));
	}

	/** Leases the queue's pending jobs: the one with id {@code completed} completes, the others die. */
	private static void settle(RedisJobQueue queue, String completed) {
		for (LeasedJob leased : queue.store().lease(100, false).jobs()) {
			queue.settle(leased, leased.id().equals(completed) ? new Outcome.Completed("{}")
					: new Outcome.Dead(new JobError("gave up", "java.lang.IllegalStateException", "trace", "w1")));
		}
	}

}
