package dev.jobqueue.core.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The hook a chain's or batch's dispatch goes through: it sees the flow first, may change its jobs, and stores it when it says. */
class FlowInterceptorTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private RedisJobQueue queue;

	private RedisJobQueue other;

	private final List<Supplier<?>> held = new ArrayList<>();

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.queue = new RedisJobQueue(redis.server().client(), "home", QueueOptions.defaults());
		this.other = new RedisJobQueue(redis.server().client(), "other", QueueOptions.defaults());
	}

	/** Routes every job to queue "other", tags it, and holds the store until the test lets it go. */
	private Flows holdingFlows() {
		return new Flows(this.queue).interceptor(new FlowInterceptor() {

			@Override
			public ChainStatus dispatch(Chain chain, Supplier<ChainStatus> store) {
				chain.mapJobs((job) -> job.withQueue("other").withMetadata("seen", "yes"));
				FlowInterceptorTests.this.held.add(store);
				return new ChainStatus(chain.id(), FlowStatus.WAITING, 0, chain.steps().size(), 0, null, List.of());
			}

			@Override
			public BatchStatus dispatch(Batch batch, Supplier<BatchStatus> store) {
				batch.mapJobs((job) -> job.withMetadata("seen", "yes"));
				FlowInterceptorTests.this.held.add(store);
				return new BatchStatus(batch.id(), FlowStatus.WAITING, 1, 1, 0, 0, 0, batch.failuresAllowed());
			}

		});
	}

	@Test
	void aFlowIsStoredOnlyWhenItsInterceptorCallsTheStoreWithTheJobsItChanged() {
		Flows flows = holdingFlows();
		ChainStatus chain = flows.chain().add("step", 1).add(flows.batch().add("step", 2)).dispatch();

		assertThat(chain.status()).isEqualTo(FlowStatus.WAITING);
		assertThat(flows.chainStatus(chain.id())).isEmpty();
		assertThat(this.queue.size() + this.other.size()).isZero();

		this.held.get(0).get();

		assertThat(flows.chainStatus(chain.id()).orElseThrow().status()).isEqualTo(FlowStatus.RUNNING);
		Job first = this.other.get(chain.id() + ":1").orElseThrow().job();
		assertThat(first.metadata()).containsEntry("seen", "yes").containsEntry(FlowMetadata.CHAIN, chain.id());
		assertThat(this.queue.get(chain.id() + ":1")).isEmpty();
	}

	@Test
	void aBatchsMembersAndCallbacksAreAllMappedAndFlowsWithoutAnInterceptorStoreAtOnce() {
		Flows flows = holdingFlows();
		Batch batch = flows.batch().add("step", 1).add(flows.chain().add("step", 2)).onSuccess(Job.of("done", 0))
			.onFailure(Job.of("failed", 0)).onComplete(Job.of("ended", 0));
		batch.dispatch();

		List<Job> jobs = new ArrayList<>(List.of((Job) batch.members().get(0),
				(Job) ((Chain) batch.members().get(1)).steps().get(0), batch.onSuccess(), batch.onFailure(), batch.onComplete()));
		assertThat(jobs).allSatisfy((job) -> assertThat(job.metadata()).containsEntry("seen", "yes"));

		BatchStatus plain = new Flows(this.queue).batch().add("step", 3).dispatch();
		assertThat(plain.status()).isEqualTo(FlowStatus.RUNNING);
		assertThat(this.queue.size()).isEqualTo(1);
	}

}
