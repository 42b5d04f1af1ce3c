package dev.jobqueue.spring.test;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import dev.jobqueue.core.flow.Batch;
import dev.jobqueue.core.flow.BatchStatus;
import dev.jobqueue.core.flow.ChainStatus;
import dev.jobqueue.core.flow.FlowStatus;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.spring.test.JobQueueTesterTests.NoResourceTransactionManager;
import dev.jobqueue.spring.test.KitTestApplication.Handlers;
import dev.jobqueue.spring.test.KitTestApplication.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Chains and batches through the test kit's recording dispatcher, in each mode; the context of {@link JobQueueTesterTests}. */
@JobQueueTest(classes = KitTestApplication.class,
		properties = { "jobqueue.queues.default.concurrency=2", "jobqueue.queues.billing.concurrency=2" })
class FlowRecordingTests {

	@Autowired
	JobDispatcher dispatcher;

	@Autowired
	JobQueueTester jobs;

	@Autowired
	JobQueues queues;

	@Autowired
	Handlers handlers;

	@BeforeEach
	void forgetWhatHandlersSaw() {
		this.handlers.invoiced.clear();
		this.handlers.shipped.clear();
		this.handlers.notified.clear();
	}

	@Test
	void everyJobOfAChainOrBatchIsRecordedRoutedUnderItsFlowsIdAndNothingIsStoredOrRun() {
		ChainStatus chain = this.dispatcher.chain().add("invoice", new Order("c-1", 5)).add("ship", new Order("c-1", 5))
			.dispatch();
		BatchStatus batch = this.dispatcher.batch()
			.add("invoice", new Order("b-1", 1))
			.add(this.dispatcher.chain().add("invoice", new Order("b-2", 1)).add("ship", new Order("b-2", 1)))
			.onSuccess(Job.of("notify", "all invoiced"))
			.dispatch();

		assertThat(chain.status()).isEqualTo(FlowStatus.WAITING);
		assertThat(batch.status()).isEqualTo(FlowStatus.WAITING);
		assertThat(this.jobs.dispatchedJobs()).extracting(DispatchedJob::id).containsExactly(chain.id() + ":1",
				chain.id() + ":2", batch.id() + ":1", batch.id() + ":2:1", batch.id() + ":2:2", batch.id() + ":on_success");
		this.jobs.dispatched().hasDispatched("invoice").times(3).onQueue("billing");
		this.jobs.dispatched().hasDispatched("ship").times(2).onQueue("default");
		this.jobs.dispatched().hasDispatched("ship").withPayload(Order.class, (order) -> order.id().equals("c-1"))
			.inFlow(chain.id());
		this.jobs.dispatched().hasDispatched("notify").times(1).inFlow(batch.id()).withPayload("all invoiced");
		assertThatThrownBy(() -> this.jobs.dispatched().hasDispatched("invoice").inFlow(chain.id()))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("to belong to flow '" + chain.id() + "', but these did not: [invoice on 'billing'");
		assertThat(this.dispatcher.chainStatus("default", chain.id())).isEmpty();
		assertThat(this.queues.get("billing").size()).isZero();
		assertThat(this.handlers.invoiced).isEmpty();
	}

	@Test
	void aFlowWithAnUnknownTypeIsRefusedAndNothingOfItIsRecorded() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.dispatcher.batch().add("invoice", new Order("u-1", 1)).add("invoize", "x").dispatch())
			.withMessageStartingWith("Unknown job type 'invoize'");
		this.jobs.dispatched().isNothingDispatched();
	}

	@Test
	void aFlowInsideATransactionIsRecordedAtItsCommitAndNotAtAllOnARollback() {
		TransactionTemplate transaction = new TransactionTemplate(new NoResourceTransactionManager());
		transaction.executeWithoutResult((status) -> {
			this.dispatcher.chain().add("invoice", new Order("t-1", 1)).dispatch();
			status.setRollbackOnly();
		});
		this.jobs.dispatched().isNothingDispatched();

		transaction.executeWithoutResult((status) -> {
			this.dispatcher.batch().add("invoice", new Order("t-2", 1)).dispatch();
			this.jobs.dispatched().isNothingDispatched();
		});
		this.jobs.dispatched().hasDispatched("invoice").times(1).withPayload(Order.class, (order) -> order.id().equals("t-2"));
	}

	@Test
	void inlineAChainRunsStepByStepEachSeeingThePreviousResultAndStopsAtAFailedStep() {
		this.jobs.dispatchMode(DispatchMode.INLINE);

		ChainStatus completed = this.dispatcher.chain().add("invoice", new Order("i-1", 5)).add("ship", new Order("i-1", 5))
			.dispatch();
		ChainStatus failed = this.dispatcher.chain().add("invoice", new Order("i-2", 1)).add("charge", new Order("i-2", 1))
			.add("ship", new Order("i-2", 1)).dispatch();

		assertThat(completed.status()).isEqualTo(FlowStatus.COMPLETED);
		assertThat(completed.jobIds()).containsExactly(completed.id() + ":1", completed.id() + ":2");
		assertThat(failed.status()).isEqualTo(FlowStatus.FAILED);
		assertThat(failed.failedStep()).isEqualTo(2);
		assertThat(failed.error()).isEqualTo("declined: i-2");
		assertThat(this.handlers.shipped).containsExactly("i-1 after 10");
		this.jobs.dispatched().hasDispatched("ship").times(1).inFlow(completed.id());
		assertThat(this.queues.get("billing").size()).isZero();
	}

	@Test
	void inlineABatchRunsItsMembersAndFiresTheCallbacksItsEndCalledFor() {
		this.jobs.dispatchMode(DispatchMode.INLINE);

		BatchStatus succeeded = withCallbacks(this.dispatcher.batch().add("invoice", new Order("s-1", 1))
			.add(this.dispatcher.chain().add("invoice", new Order("s-2", 2)).add("ship", new Order("s-2", 2)))).dispatch();
		assertThat(succeeded.status()).isEqualTo(FlowStatus.SUCCEEDED);
		assertThat(succeeded.successful()).isEqualTo(2);
		assertThat(this.handlers.shipped).containsExactly("s-2 after 4");
		assertThat(this.handlers.notified).containsExactly("success", "complete");

		this.handlers.notified.clear();
		BatchStatus stopped = withCallbacks(failingBatch()).dispatch();
		assertThat(stopped).extracting(BatchStatus::status, BatchStatus::successful, BatchStatus::failed,
				BatchStatus::cancelled, BatchStatus::pending).containsExactly(FlowStatus.FAILED, 1L, 1L, 1L, 0L);
		assertThat(this.handlers.invoiced).extracting(Order::id).containsExactly("s-1", "s-2", "f-1");
		assertThat(this.handlers.notified).containsExactly("failure", "complete");
		this.jobs.dispatched().hasDispatched("notify").withPayload("failure").inFlow(stopped.id());
		assertThat(this.jobs.dispatchedJobs()).as("a cancelled member is not run, so not dispatched")
			.noneMatch((job) -> job.payloadJson().contains("f-3"));

		this.handlers.notified.clear();
		BatchStatus toTheEnd = withCallbacks(failingBatch().allowFailures()).dispatch();
		assertThat(toTheEnd).extracting(BatchStatus::status, BatchStatus::successful, BatchStatus::failed,
				BatchStatus::cancelled).containsExactly(FlowStatus.FAILED, 2L, 1L, 0L);
		assertThat(this.handlers.invoiced).extracting(Order::id).endsWith("f-1", "f-3");
		assertThat(this.handlers.notified).containsExactly("failure", "complete");
	}

	@Test
	void enqueueModeStoresTheFlowForDrainToRunAndRecordsItsJobs() {
		this.jobs.dispatchMode(DispatchMode.ENQUEUE);

		BatchStatus batch = this.dispatcher.batch("billing").add("invoice", new Order("e-1", 1))
			.add("invoice", new Order("e-2", 1)).onComplete(Job.of("invoice", new Order("e-3", 1))).dispatch();

		assertThat(batch.status()).isEqualTo(FlowStatus.RUNNING);
		this.jobs.dispatched().hasDispatched("invoice").times(3).inFlow(batch.id());
		DrainReport report = this.jobs.drain("billing");
		assertThat(report.completedTypes()).containsExactly("invoice", "invoice", "invoice");
		assertThat(this.dispatcher.batchStatus("billing", batch.id()).orElseThrow().status()).isEqualTo(FlowStatus.SUCCEEDED);
		assertThat(this.handlers.invoiced).extracting(Order::id).containsExactly("e-1", "e-2", "e-3");
	}

	@Test
	void enqueuedABatchWhoseMembersRunOnAnotherQueueFinishesWhenBothQueuesAreDrained() {
		this.jobs.dispatchMode(DispatchMode.ENQUEUE);

		BatchStatus batch = this.dispatcher.batch().add("invoice", new Order("x-1", 1)).add("invoice", new Order("x-2", 1))
			.onComplete(Job.of("notify", "x-complete")).dispatch();

		this.jobs.drain("billing");
		this.jobs.drain("default");
		assertThat(this.dispatcher.batchStatus("default", batch.id()).orElseThrow().status()).isEqualTo(FlowStatus.SUCCEEDED);
		assertThat(this.handlers.notified).containsExactly("x-complete");
	}

	private Batch failingBatch() {
		return this.dispatcher.batch().add("invoice", new Order("f-1", 1)).add("charge", new Order("f-2", 1))
			.add("invoice", new Order("f-3", 1));
	}

	private static Batch withCallbacks(Batch batch) {
		return batch.onSuccess(Job.of("notify", "success")).onFailure(Job.of("notify", "failure"))
			.onComplete(Job.of("notify", "complete"));
	}

}
