package dev.jobqueue.core.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class QueueBrowserTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private RedisJobQueue queue;

	private QueueBrowser browser;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.queue = new RedisJobQueue(redis.server().client(), "browse");
		this.browser = new QueueBrowser(this.queue);
	}

	@Test
	void pendingJobsPageNewestFirstAndOldestFirstAcrossPriorities() {
		enqueue("low-1", -5);
		enqueue("a", 0);
		enqueue("high-1", 7);
		enqueue("b", 0);
		enqueue("low-2", -5);
		enqueue("c", 0);
		enqueue("high-2", 7);
		// Running order: high-1, high-2, a, b, c, low-1, low-2.
		List<String> newest = ids(this.browser.page(JobState.PENDING, 0, 100, true));
		assertThat(newest).containsExactly("low-2", "low-1", "c", "b", "a", "high-2", "high-1");
		assertThat(ids(this.browser.page(JobState.PENDING, 0, 100, false))).containsExactly("high-1", "high-2", "a",
				"b", "c", "low-1", "low-2");

		List<String> paged = new ArrayList<>();
		for (int offset = 0; offset < 7; offset += 3) {
			JobPage page = this.browser.page(JobState.PENDING, offset, 3, true);
			assertThat(page.total()).isEqualTo(7);
			assertThat(page.hasNext()).isEqualTo(offset + 3 < 7);
			paged.addAll(ids(page));
		}
		assertThat(paged).isEqualTo(newest);
		List<String> pagedAscending = new ArrayList<>();
		for (int offset = 0; offset < 7; offset += 2) {
			pagedAscending.addAll(ids(this.browser.page(JobState.PENDING, offset, 2, false)));
		}
		assertThat(pagedAscending).containsExactly("high-1", "high-2", "a", "b", "c", "low-1", "low-2");
	}

	@Test
	void aCancelledJobWhoseIdStillSitsInTheListIsLeftOut() {
		enqueue("a", 0);
		enqueue("b", 0);
		this.queue.cancel("a");
		JobPage page = this.browser.page(JobState.PENDING, 0, 10, true);
		assertThat(page.total()).isEqualTo(1);
		assertThat(ids(page)).containsExactly("b");
	}

	@Test
	void unknownCannotBeBrowsed() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.browser.page(JobState.UNKNOWN, 0, 10, true));
	}

	@Test
	void pendingEntriesHaveNoTimeAndAPageBeyondTheEndIsEmpty() {
		enqueue("a", 0);
		JobPage page = this.browser.page(JobState.PENDING, 0, 10, true);
		assertThat(page.entries()).containsExactly(new JobPage.Entry("a", null));
		JobPage beyond = this.browser.page(JobState.PENDING, 5, 10, true);
		assertThat(beyond.total()).isEqualTo(1);
		assertThat(beyond.entries()).isEmpty();
	}

	@Test
	void sortedStatesPageByTheirTimeNewestFirst() {
		this.queue.enqueue(Job.ofJson("t", "{}").withId("soon").withDelay(Duration.ofMinutes(1)));
		this.queue.enqueue(Job.ofJson("t", "{}").withId("later").withDelay(Duration.ofMinutes(5)));
		this.queue.enqueue(Job.ofJson("t", "{}").withId("latest").withDelay(Duration.ofMinutes(9)));

		JobPage page = this.browser.page(JobState.SCHEDULED, 0, 2, true);
		assertThat(page.total()).isEqualTo(3);
		assertThat(ids(page)).containsExactly("latest", "later");
		assertThat(page.entries().get(0).at()).isAfter(page.entries().get(1).at());
		assertThat(ids(this.browser.page(JobState.SCHEDULED, 2, 2, true))).containsExactly("soon");
		assertThat(ids(this.browser.page(JobState.SCHEDULED, 0, 3, false))).containsExactly("soon", "later", "latest");
	}

	@Test
	void deadAndCompletedJobsAreBrowsable() {
		for (String id : List.of("d1", "d2", "ok")) {
			enqueue(id, 0);
		}
		for (LeasedJob leased : this.queue.store().lease(3, false).jobs()) {
			this.queue.settle(leased, leased.id().equals("ok") ? new Outcome.Completed(null)
					: new Outcome.Dead(new JobError("boom", "java.lang.IllegalStateException", "", "w")));
		}
		assertThat(ids(this.browser.page(JobState.DEAD, 0, 10, true))).containsExactlyInAnyOrder("d1", "d2");
		assertThat(ids(this.browser.page(JobState.COMPLETED, 0, 10, true))).containsExactly("ok");
		assertThat(this.browser.page(JobState.ACTIVE, 0, 10, true).total()).isZero();
	}

	@Test
	void refusesBadPaging() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.browser.page(JobState.PENDING, -1, 10, true));
		assertThatIllegalArgumentException().isThrownBy(() -> this.browser.page(JobState.PENDING, 0, 0, true));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.browser.page(JobState.PENDING, 0, QueueBrowser.MAX_PAGE + 1, true));
	}

	@Test
	void browsingWritesNothing() {
		enqueue("a", 0);
		Map<String, String> before = snapshot();
		this.browser.page(JobState.PENDING, 0, 10, true);
		this.browser.page(JobState.DEAD, 0, 10, false);
		assertThat(snapshot()).isEqualTo(before);
	}

	private Map<String, String> snapshot() {
		var client = redis.server().client();
		Map<String, String> dump = new TreeMap<>();
		for (String key : client.keys("*")) {
			dump.put(key, client.type(key) + ":" + Arrays.toString(client.dump(key)));
		}
		return dump;
	}

	private void enqueue(String id, int priority) {
		this.queue.enqueue(Job.ofJson("t", "{}").withId(id).withPriority(priority));
	}

	private static List<String> ids(JobPage page) {
		return page.entries().stream().map(JobPage.Entry::id).toList();
	}

}
