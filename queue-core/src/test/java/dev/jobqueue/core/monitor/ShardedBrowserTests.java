package dev.jobqueue.core.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.shard.ShardStrategy;
import dev.jobqueue.core.shard.ShardedQueue;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ShardedBrowserTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private ShardedQueue queue;

	private ShardedBrowser browser;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		var client = redis.server().client();
		this.queue = ShardedQueue.onServers(List.of(client, client, client), "big", QueueOptions.defaults(),
				ShardStrategy.ROUND_ROBIN);
		this.browser = new ShardedBrowser(this.queue);
	}

	@AfterEach
	void close() {
		this.queue.close();
	}

	@Test
	void pagesMergeTheShardsNewestFirstAndTheCursorWalksEveryJobOnce() {
		for (int i = 1; i <= 20; i++) {
			this.queue.enqueue(Job.ofJson("t", "{}").withId(String.format("s%02d", i)).withDelay(Duration.ofMinutes(i)));
		}
		assertThat(this.queue.statsPerShard()).allSatisfy((stats) -> assertThat(stats.scheduled()).isPositive());

		List<String> seen = new ArrayList<>();
		long[] cursor = null;
		int pages = 0;
		do {
			ShardedBrowser.Page page = this.browser.page(JobState.SCHEDULED, cursor, 7, true);
			assertThat(page.total()).isEqualTo(20);
			page.entries().forEach((entry) -> seen.add(entry.id()));
			cursor = page.next();
			pages++;
		}
		while (cursor != null);

		assertThat(pages).isEqualTo(3);
		assertThat(seen).containsExactlyElementsOf(
				IntStream.rangeClosed(1, 20).map((i) -> 21 - i).mapToObj((i) -> String.format("s%02d", i)).toList());
	}

	@Test
	void pendingJobsComeFromEveryShardEachOnce() {
		for (int i = 0; i < 9; i++) {
			this.queue.enqueue(Job.ofJson("t", "{}"));
		}
		ShardedBrowser.Page first = this.browser.page(JobState.PENDING, null, 5, true);
		ShardedBrowser.Page second = this.browser.page(JobState.PENDING, first.next(), 5, true);

		assertThat(first.entries()).extracting(ShardedBrowser.Entry::shard).contains(0, 1, 2);
		assertThat(second.entries()).hasSize(4);
		assertThat(second.next()).isNull();
		List<String> all = new ArrayList<>();
		first.entries().forEach((entry) -> all.add(entry.id()));
		second.entries().forEach((entry) -> all.add(entry.id()));
		assertThat(all).doesNotHaveDuplicates().hasSize(9);
		ShardedBrowser.Entry onShard2 = first.entries().stream().filter((entry) -> entry.shard() == 2).findFirst().orElseThrow();
		assertThat(this.queue.shards().get(2).get(onShard2.id())).isPresent();
	}

	@Test
	void aCursorOfTheWrongShapeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.browser.page(JobState.PENDING, new long[2], 5, true));
		assertThatIllegalArgumentException().isThrownBy(() -> this.browser.page(JobState.PENDING, new long[] { 0, -1, 0 }, 5, true));
	}

}
