package dev.jobqueue.core.flow;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.queue.CancelResult;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.redis.RedisClock;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class FlowBrowserTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	record Step(String name) {
	}

	private Flows flows;

	private FlowBrowser browser;

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.flows = new Flows(new RedisJobQueue(redis.server().client(), "listed", QueueOptions.defaults()));
		this.browser = new FlowBrowser(this.flows);
	}

	@Test
	void listsTopLevelBatchesAndChainsNewestFirstWithTheirProgress() {
		this.flows.batch().id("first").add("step", new Step("a")).add("step", new Step("b")).dispatch();
		this.flows.chain().id("second").add("step", new Step("c"))
			.add(this.flows.batch().id("nested").add("step", new Step("d"))).dispatch();
		this.flows.batch().id("third").add(this.flows.chain().id("inner").add("step", new Step("e"))).dispatch();

		assertThat(this.browser.count()).isEqualTo(3);
		assertThat(this.browser.recent(0, 10)).extracting(FlowBrowser.Entry::id).containsExactly("third", "second", "first");
		assertThat(this.browser.recent(1, 1)).extracting(FlowBrowser.Entry::id).containsExactly("second");
		FlowBrowser.Entry chain = this.browser.get("second").orElseThrow();
		assertThat(chain.chain().steps()).isEqualTo(2);
		assertThat(chain.chain().step()).isEqualTo(1);
		assertThat(chain.status()).isEqualTo(FlowStatus.RUNNING);
		FlowBrowser.Entry batch = this.browser.get("first").orElseThrow();
		assertThat(batch.batch().total()).isEqualTo(2);
		assertThat(batch.batch().pending()).isEqualTo(2);
		assertThat(this.browser.get("nested")).isEmpty();
		assertThat(this.browser.get("inner")).isEmpty();
	}

	@Test
	void aFlowWhoseRecordWasForgottenIsLeftOutAndLeavesTheIndexAtTheNextDispatch() {
		this.flows.keepFinished(Duration.ofMillis(1));
		this.flows.batch().id("old").add("step", new Step("a")).dispatch();
		assertThat(this.flows.cancel("old")).isEqualTo(CancelResult.CANCELLED);
		Instant cancelled = RedisClock.now(redis.server().client());
		await().until(() -> RedisClock.now(redis.server().client()).isAfter(cancelled.plusMillis(2)));
		this.flows.batch().id("later").add("step", new Step("b")).dispatch();
		// Ending "later" forgets "old", whose keep has passed.
		this.flows.cancel("later");

		assertThat(this.browser.recent(0, 10)).extracting(FlowBrowser.Entry::id).containsExactly("later");
		assertThat(this.browser.count()).isEqualTo(2);
		this.flows.keepFinished(Duration.ofDays(1)).batch().id("new").add("step", new Step("c")).dispatch();
		assertThat(this.browser.count()).isEqualTo(2);
		assertThat(this.browser.recent(0, 10)).extracting(FlowBrowser.Entry::id).containsExactly("new", "later");
	}

	@Test
	void badPagingIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.browser.recent(-1, 10));
		assertThatIllegalArgumentException().isThrownBy(() -> this.browser.recent(0, FlowBrowser.MAX_PAGE + 1));
	}

}
