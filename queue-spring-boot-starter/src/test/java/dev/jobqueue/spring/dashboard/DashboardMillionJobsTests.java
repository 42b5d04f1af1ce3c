package dev.jobqueue.spring.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.monitor.WorkerRegistry;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue of 1,000,000 pending jobs on the dashboard: the overview and the first page of the pending
 * list render with the right counts. How long they take is measured in the browser (navigation timing)
 * and written to target/dashboard-screenshots/million-jobs.txt, not asserted: it depends on the machine.
 */
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobqueue.queues.work.concurrency=1", "jobqueue.dashboard.enabled=true" })
@DirtiesContext
class DashboardMillionJobsTests {

	private static final int JOBS = 1_000_000;

	private static final int ROUNDS = 5;

	/** A Redis of its own without persistence: a million jobs are ~150 MB that no other test should carry. */
	private static final LocalRedisServer redis = LocalRedisServer.builder().setting("appendonly", "no").build().start();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", redis::port);
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	JobQueues queues;

	@Autowired
	WorkerRegistry registry;

	@Test
	void theOverviewAndTheFirstPageOfAMillionPendingJobsRender() throws IOException {
		this.registry.addQueues(List.of("bulk"));
		RedisJobQueue bulk = new RedisJobQueue(this.queues.redis(), "bulk", QueueOptions.defaults());
		long enqueueStart = System.nanoTime();
		for (int from = 0; from < JOBS; from += 10_000) {
			List<Job> batch = new ArrayList<>(10_000);
			for (int i = from; i < from + 10_000; i++) {
				batch.add(Job.ofJson("import_row", "{\"row\":" + i + "}").withId("row-" + i));
			}
			bulk.enqueueAll(batch);
		}
		long enqueueMillis = (System.nanoTime() - enqueueStart) / 1_000_000;
		assertThat(bulk.stats().pending()).isEqualTo(JOBS);

		ChromeDriver chrome = Chromium.start();
		try {
			double[] overview = measure(chrome, "/jobqueue");
			assertThat(chrome.findElement(By.cssSelector("tr[data-queue='bulk'] td[data-state='pending']")).getText())
				.isEqualTo(String.valueOf(JOBS));
			Chromium.screenshot(chrome, "million-overview");
			double[] firstPage = measure(chrome, "/jobqueue/queue?name=bulk&state=pending");
			assertThat(chrome.findElement(By.cssSelector("table.jobs tbody tr")).getAttribute("data-job"))
				.isEqualTo("row-" + (JOBS - 1));
			assertThat(chrome.findElements(By.cssSelector("table.jobs tbody tr"))).hasSize(25);
			Chromium.screenshot(chrome, "million-pending");

			String report = String.format(Locale.ROOT,
					"queue with %,d pending jobs (enqueued in %,d ms)%n"
							+ "overview:   response %s ms, DOMContentLoaded %s ms (median of %d, after one warm-up)%n"
							+ "first page: response %s ms, DOMContentLoaded %s ms (median of %d, after one warm-up)%n",
					JOBS, enqueueMillis, fmt(overview[0]), fmt(overview[1]), ROUNDS, fmt(firstPage[0]), fmt(firstPage[1]),
					ROUNDS);
			System.out.print(report);
			Files.createDirectories(Chromium.SCREENSHOTS);
			Files.writeString(Chromium.SCREENSHOTS.resolve("million-jobs.txt"), report);
		}
		finally {
			chrome.quit();
		}
	}

	/** Loads the page once to warm up, then {@value #ROUNDS} times: median response end and DOMContentLoaded, from navigation start. */
	private double[] measure(ChromeDriver chrome, String path) {
		double[] response = new double[ROUNDS];
		double[] ready = new double[ROUNDS];
		for (int round = -1; round < ROUNDS; round++) {
			chrome.get("http://localhost:" + this.port + path);
			new WebDriverWait(chrome, Duration.ofSeconds(60))
				.until((driver) -> "complete".equals(chrome.executeScript("return document.readyState")));
			if (round >= 0) {
				List<?> timing = (List<?>) chrome.executeScript("var n = performance.getEntriesByType('navigation')[0]; "
						+ "return [n.responseEnd - n.startTime, n.domContentLoadedEventEnd - n.startTime];");
				response[round] = ((Number) timing.get(0)).doubleValue();
				ready[round] = ((Number) timing.get(1)).doubleValue();
			}
		}
		Arrays.sort(response);
		Arrays.sort(ready);
		return new double[] { response[ROUNDS / 2], ready[ROUNDS / 2] };
	}

	private static String fmt(double millis) {
		return String.format(Locale.ROOT, "%.0f", millis);
	}

}
