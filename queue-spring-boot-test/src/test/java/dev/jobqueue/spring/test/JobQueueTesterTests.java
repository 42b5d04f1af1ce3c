package dev.jobqueue.spring.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;
import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.spring.dispatch.DispatchOptions;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.spring.test.KitTestApplication.Handlers;
import dev.jobqueue.spring.test.KitTestApplication.Invoice;
import dev.jobqueue.spring.test.KitTestApplication.Order;
import dev.jobqueue.spring.test.KitTestApplication.PaymentDeclined;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@JobQueueTest(classes = KitTestApplication.class,
		properties = { "jobqueue.queues.default.concurrency=2", "jobqueue.queues.billing.concurrency=2" })
class JobQueueTesterTests {

	@Autowired
	JobDispatcher dispatcher;

	@Autowired
	JobQueueTester jobs;

	@Autowired
	JobQueues queues;

	@Autowired
	UnifiedJedis redis;

	@Autowired
	LocalRedisServer server;

	@Autowired
	Handlers handlers;

	@BeforeEach
	void forgetWhatHandlersSaw() {
		this.handlers.invoiced.clear();
	}

	@Test
	void theQueueTalksToALocalRedisServerOnAFreePort() {
		this.redis.set("kit", "here");
		assertThat(this.server.port()).isNotEqualTo(6379);
		assertThat(this.server.client().get("kit")).isEqualTo("here");
	}

	@Test
	void dispatchesAreRecordedAndNothingIsStoredOrRun() {
		this.dispatcher.dispatch("invoice", new Order("o-1", 10));
		this.dispatcher.dispatchAll("invoice", List.of(new Order("o-2", 1), new Order("o-3", 1)));

		this.jobs.dispatched().hasDispatched("invoice").times(3);
		assertThat(this.queues.get("billing").size()).isZero();
		assertThat(this.handlers.invoiced).isEmpty();
	}

	@Test
	void anUnknownTypeIsRefusedAsTheApplicationsDispatcherRefusesIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.dispatcher.dispatch("invoize", new Order("o-1", 10)))
			.withMessageStartingWith("Unknown job type 'invoize'");
		this.jobs.dispatched().isNothingDispatched();
	}

	@Test
	void aDispatchInsideATransactionIsRecordedAtItsCommitAndNotAtAllOnARollback() {
		TransactionTemplate transaction = new TransactionTemplate(new NoResourceTransactionManager());
		transaction.executeWithoutResult((status) -> {
			this.dispatcher.dispatch("invoice", new Order("o-1", 10));
			status.setRollbackOnly();
		});
		this.jobs.dispatched().isNothingDispatched();
		transaction.executeWithoutResult((status) -> {
			this.dispatcher.dispatch("invoice", new Order("o-2", 10));
			this.dispatcher.dispatch("charge", new Order("o-3", 10), DispatchOptions.none().immediately());
			this.jobs.dispatched().hasNotDispatched("invoice").hasDispatched("charge");
		});
		this.jobs.dispatched().hasDispatched("invoice").times(1).withPayload(Order.class, (order) -> order.id().equals("o-2"));
	}

	@Test
	void typeCountQueueDelayAndPayloadAreAsserted() {
		this.dispatcher.dispatchAfter(Duration.ofMinutes(5), "invoice", new Order("o-1", 10));

		this.jobs.dispatched()
			.hasDispatched("invoice")
			.times(1)
			.onQueue("billing")
			.withDelay(Duration.ofMinutes(5))
			.withPayload(Order.class, (order) -> order.amount() == 10)
			.withPayload(Map.of("id", "o-1", "amount", 10));
		this.jobs.dispatched().hasNotDispatched("charge");
	}

	@Test
	void theQueueOfADispatchIsTheOptionsElseTheHandlers() {
		this.dispatcher.dispatch("invoice", new Order("o-1", 1), DispatchOptions.onQueue("default"));
		this.dispatcher.dispatch("charge", new Order("o-2", 1));

		this.jobs.dispatched().hasDispatched("invoice").onQueue("default");
		this.jobs.dispatched().hasDispatched("charge").onQueue("billing");
	}

	@Test
	void everyAssertionFailsWhenItShould() {
		assertThatThrownBy(() -> this.jobs.dispatched().hasDispatched("invoice")).isInstanceOf(AssertionError.class)
			.hasMessageContaining("nothing was dispatched");
		this.jobs.dispatched().isNothingDispatched();

		this.dispatcher.dispatchAfter(Duration.ofMinutes(5), "invoice", new Order("o-1", 10));

		assertThatThrownBy(() -> this.jobs.dispatched().isNothingDispatched()).isInstanceOf(AssertionError.class)
			.hasMessageContaining("found 1");
		assertThatThrownBy(() -> this.jobs.dispatched().hasDispatched("charge")).isInstanceOf(AssertionError.class)
			.hasMessageContaining("only these were: [invoice on 'billing'");
		assertThatThrownBy(() -> this.jobs.dispatched().hasNotDispatched("invoice")).isInstanceOf(AssertionError.class);
		assertThatThrownBy(() -> this.jobs.dispatched().hasDispatched("invoice").times(2))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("Expected 2 jobs of type 'invoice' to be dispatched, but found 1");
		assertThatThrownBy(() -> this.jobs.dispatched().hasDispatched("invoice").onQueue("default"))
			.isInstanceOf(AssertionError.class);
		assertThatThrownBy(() -> this.jobs.dispatched().hasDispatched("invoice").withDelay(Duration.ofMinutes(1)))
			.isInstanceOf(AssertionError.class);
		assertThatThrownBy(() -> this.jobs.dispatched().withPayload(Order.class, (order) -> order.amount() == 11))
			.isInstanceOf(AssertionError.class);
		assertThatThrownBy(() -> this.jobs.dispatched().withPayload(Map.of("id", "o-1", "amount", 11)))
			.isInstanceOf(AssertionError.class);
		// A narrowed selection fails for the jobs it kept, not for the others.
		this.dispatcher.dispatch("invoice", new Order("o-2", 20));
		assertThatThrownBy(() -> this.jobs.dispatched().withPayload(Order.class, (order) -> order.amount() == 20)
			.withDelay(Duration.ofMinutes(5))).isInstanceOf(AssertionError.class);
	}

	@Test
	void clearForgetsWhatWasDispatched() {
		this.dispatcher.dispatch("invoice", new Order("o-1", 10));
		this.jobs.clear();

		this.jobs.dispatched().isNothingDispatched();
	}

	@Test
	void inlineModeRunsTheRealHandlerAtDispatch() {
		this.jobs.dispatchMode(DispatchMode.INLINE);

		this.dispatcher.dispatch("invoice", Map.of("id", "o-7", "amount", 3));

		assertThat(this.handlers.invoiced).contains(new Order("o-7", 3));
		this.jobs.dispatched().hasDispatched("invoice").times(1);
		assertThat(this.queues.get("billing").size()).isZero();
		assertThatThrownBy(() -> this.dispatcher.dispatch("charge", new Order("o-8", 1)))
			.hasRootCauseInstanceOf(PaymentDeclined.class);
	}

	@Test
	void runJobBindsThePayloadAsAWorkerWouldAndReturnsTheResult() {
		Invoice invoice = this.jobs.runJob("invoice", Map.of("id", "o-1", "amount", 21, "extra", true), Invoice.class);

		assertThat(invoice).isEqualTo(new Invoice("o-1", 42));
	}

	@Test
	void expectJobToFailReturnsWhatTheHandlerThrewAndFailsWhenItCompletes() {
		assertThat(this.jobs.expectJobToFail("charge", new Order("o-1", 1))).isInstanceOf(PaymentDeclined.class)
			.hasMessage("declined: o-1");
		assertThatThrownBy(() -> this.jobs.expectJobToFail("invoice", new Order("o-1", 1)))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("Expected job type 'invoice' to fail, but it completed with result");
	}

	@Test
	void drainRunsARealQueueUntilEmptyAndReportsWhatRanAndFailed() {
		this.jobs.dispatchMode(DispatchMode.ENQUEUE);
		this.dispatcher.dispatch("invoice", new Order("d-1", 1));
		this.dispatcher.dispatch("charge", new Order("d-2", 1));
		this.dispatcher.dispatch("invoice", new Order("d-3", 1));
		assertThat(this.queues.get("billing").size()).isEqualTo(3);

		DrainReport report = this.jobs.drain("billing");

		assertThat(report.completedTypes()).containsExactly("invoice", "invoice");
		assertThat(report.failed()).singleElement().satisfies((failure) -> {
			assertThat(failure.type()).isEqualTo("charge");
			assertThat(failure.error()).isInstanceOf(PaymentDeclined.class);
			assertThat(failure.deadLettered()).isTrue();
		});
		assertThat(this.queues.get("billing").size()).isZero();
		assertThat(this.handlers.invoiced).contains(new Order("d-1", 1), new Order("d-3", 1));
		this.jobs.dispatched().hasDispatched("invoice").times(2);
	}

	/** Transactions with no resource behind them: enough for Spring's synchronization to commit and roll back. */
	static class NoResourceTransactionManager extends AbstractPlatformTransactionManager {

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
		}

	}

}
