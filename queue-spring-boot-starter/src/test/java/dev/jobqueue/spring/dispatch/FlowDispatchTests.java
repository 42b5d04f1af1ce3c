package dev.jobqueue.spring.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.jobqueue.core.flow.BatchStatus;
import dev.jobqueue.core.flow.ChainStatus;
import dev.jobqueue.core.flow.FlowStatus;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.spring.annotation.JobHandler;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Chains and batches dispatched through {@link JobDispatcher} take a single job's path: stored after the commit
 * (H2 and a real transaction manager), routed per job, traced (Brave); one context with workers on a shared
 * redis-server.
 */
@SpringBootTest(classes = FlowDispatchTests.App.class, properties = { "jobqueue.queues.default.concurrency=2",
		"jobqueue.queues.emails.concurrency=1", "jobqueue.queues.reports.concurrency=1", "jobqueue.queues.wide.shards=2",
		"jobqueue.routes.render=reports", "jobqueue.jobs.max-retries=0", "jobqueue.mdc.propagate=tenant" })
@DirtiesContext
class FlowDispatchTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", () -> LocalRedisServer.shared().port());
		registry.add("jobqueue.key-prefix", () -> "flow-dispatch");
	}

	@Autowired
	JobDispatcher jobs;

	@Autowired
	Handlers handlers;

	@Autowired
	Tracer tracer;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PlatformTransactionManager transactions;

	@Test
	void insideATransactionAChainIsStoredAtTheCommitAndItsStepsFindTheRow() {
		TransactionTemplate transaction = new TransactionTemplate(this.transactions);

		ChainStatus dispatched = transaction.execute((status) -> {
			this.jdbc.update("insert into orders (id) values (?)", "chain-order");
			ChainStatus chain = this.jobs.chain().add("read_order", "chain-order").add("read_order", "chain-order").dispatch();
			assertThat(chain.status()).isEqualTo(FlowStatus.WAITING);
			assertThat(chain.steps()).isEqualTo(2);
			assertThat(this.jobs.chainStatus("default", chain.id())).as("not stored before the commit").isEmpty();
			return chain;
		});

		await().atMost(WAIT).untilAsserted(() -> assertThat(this.jobs.chainStatus("default", dispatched.id()))
			.hasValueSatisfying((chain) -> assertThat(chain.status()).isEqualTo(FlowStatus.COMPLETED)));
		for (String step : List.of(dispatched.id() + ":1", dispatched.id() + ":2")) {
			assertThat(this.jobs.find(step).orElseThrow().result(Boolean.class)).as(step + " saw the row").contains(true);
		}
	}

	@Test
	void insideATransactionABatchWaitsForTheCommitAndIsDroppedAtARollbackOrWhenMarkedRollbackOnly() {
		TransactionTemplate transaction = new TransactionTemplate(this.transactions);

		BatchStatus committed = transaction.execute((status) -> {
			this.jdbc.update("insert into orders (id) values (?)", "batch-order");
			BatchStatus batch = this.jobs.batch().add("read_order", "batch-order")
				.onSuccess(Job.of("read_order", "batch-order")).dispatch();
			assertThat(batch.status()).isEqualTo(FlowStatus.WAITING);
			assertThat(batch.pending()).isEqualTo(1);
			assertThat(this.jobs.batchStatus("default", batch.id())).isEmpty();
			return batch;
		});
		String[] dropped = new String[2];
		try {
			transaction.executeWithoutResult((status) -> {
				dropped[0] = this.jobs.batch().add("read_order", "x").dispatch().id();
				throw new IllegalStateException("rolled back");
			});
		}
		catch (IllegalStateException expected) {
		}
		transaction.executeWithoutResult((status) -> {
			dropped[1] = this.jobs.chain().add("read_order", "y").dispatch().id();
			status.setRollbackOnly();
		});

		assertThat(this.jobs.batchStatus("default", dropped[0])).isEmpty();
		assertThat(this.jobs.find(dropped[0] + ":1")).isEmpty();
		assertThat(this.jobs.chainStatus("default", dropped[1])).isEmpty();
		assertThat(this.jobs.find(dropped[1] + ":1")).isEmpty();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.jobs.find(committed.id() + ":on_success"))
			.hasValueSatisfying((callback) -> assertThat(callback.result(Boolean.class)).contains(true)));
		assertThat(this.jobs.batchStatus("default", committed.id()).orElseThrow().status()).isEqualTo(FlowStatus.SUCCEEDED);
	}

	@Test
	void eachJobOfAFlowGoesWhereASingleDispatchOfItsTypeWouldUnlessItNamesItsQueue() {
		BatchStatus batch = this.jobs.batch("reports")
			.add("render", "routed")
			.add("notify", "handler's queue")
			.add(Job.of("render", "named").withQueue("default"))
			.add(this.jobs.chain().add("render", "nested").add("notify", "nested"))
			.onComplete(Job.of("render", "callback"))
			.dispatch();
		String id = batch.id();

		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(this.jobs.batchStatus("reports", id).orElseThrow().status()).isEqualTo(FlowStatus.SUCCEEDED);
			assertThat(this.jobs.find(id + ":on_complete")).isPresent();
		});
		Map<String, String> queues = Map.of(id + ":1", "reports", id + ":2", "emails", id + ":3", "default", id + ":4:1",
				"reports", id + ":4:2", "emails", id + ":on_complete", "reports");
		queues.forEach((job, queue) -> assertThat(this.jobs.find(job)).as(job).hasValueSatisfying(
				(ref) -> assertThat(ref.queue()).isEqualTo(queue)));
		assertThat(this.handlers.notified).contains("handler's queue", "nested");
	}

	@Test
	void anUnknownTypeAnywhereInAFlowFailsAtDispatchAsASingleDispatchDoesAndNothingIsStored() {
		var chain = this.jobs.chain().add("read_order", "x").add("sned_email", "x");
		assertThatIllegalArgumentException().isThrownBy(chain::dispatch)
			.withMessageStartingWith("Unknown job type 'sned_email': known types are [notify, read_order, render, traced]");
		assertThat(this.jobs.chainStatus("default", chain.id())).isEmpty();

		var batch = this.jobs.batch().add("read_order", "x").onFailure(Job.of("sned_email", "x"));
		assertThatIllegalArgumentException().isThrownBy(batch::dispatch).withMessageStartingWith("Unknown job type 'sned_email'");
		assertThat(this.jobs.batchStatus("default", batch.id())).isEmpty();
		assertThat(this.jobs.find(batch.id() + ":1")).isEmpty();
	}

	@Test
	void aFlowsJobsMayRunOnAShardedQueueAndOneBoundForAnUnconfiguredQueueIsRefusedAtDispatch() {
		BatchStatus batch = this.jobs.batch()
			.add(Job.of("render", "a").withQueue("wide"))
			.add(Job.of("render", "b").withQueue("wide"))
			.add(Job.of("render", "c").withQueue("wide"))
			.onSuccess(Job.of("render", "done"))
			.dispatch();
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(this.jobs.batchStatus("default", batch.id()).orElseThrow().status()).isEqualTo(FlowStatus.SUCCEEDED);
			assertThat(this.jobs.find(batch.id() + ":on_success")).isPresent();
		});
		for (int member = 1; member <= 3; member++) {
			assertThat(this.jobs.find(batch.id() + ":" + member)).hasValueSatisfying(
					(ref) -> assertThat(ref.queue()).isEqualTo("wide"));
		}
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.jobs.chain().add(Job.of("render", "x").withQueue("nowhere")).dispatch())
			.withMessageContaining("No queue 'nowhere' is configured");
	}

	@Test
	void everyJobOfAFlowCarriesTheTraceOfItsDispatchAndItsAttemptsContinueIt() {
		Span request = this.tracer.nextSpan().name("request").start();
		ChainStatus chain;
		MDC.put("tenant", "acme");
		try (Tracer.SpanInScope scope = this.tracer.withSpan(request)) {
			chain = this.jobs.chain()
				.add("traced", "first")
				.add(this.jobs.batch().add("traced", "member").onSuccess(Job.of("traced", "callback")))
				.add(Job.of("traced", "last").withQueue("reports"))
				.dispatch();
		}
		finally {
			request.end();
			MDC.remove("tenant");
		}
		String id = chain.id();

		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(this.jobs.chainStatus("default", id).orElseThrow().status()).isEqualTo(FlowStatus.COMPLETED);
			assertThat(this.handlers.traces).containsOnlyKeys("first", "member", "callback", "last");
		});
		List<String> jobIds = List.of(id + ":1", id + ":2:1", id + ":2:on_success", id + ":3");
		List<Map<String, String>> metadata = jobIds.stream()
			.map((job) -> this.jobs.find(job).orElseThrow().info().orElseThrow().job().metadata())
			.toList();
		assertThat(metadata).as("the MDC carried").allSatisfy((job) -> assertThat(job).containsEntry("mdc.tenant", "acme"));
		List<String> traceparents = metadata.stream().map((job) -> job.get("traceparent")).toList();
		assertThat(traceparents).as("one dispatch observation's context in every job").hasSize(4).doesNotContainNull();
		assertThat(traceparents).allMatch((traceparent) -> traceparent.equals(traceparents.get(0)));
		// 00-<trace id>-<span id>-<flags>: the request's trace, the dispatch's own span.
		assertThat(traceparents.get(0).split("-")).satisfies((parts) -> {
			assertThat(parts[1]).isEqualTo(request.context().traceId());
			assertThat(parts[2]).isNotEqualTo(request.context().spanId());
		});
		assertThat(this.handlers.traces).allSatisfy((payload, trace) ->
				assertThat(trace).as(payload).isEqualTo(request.context().traceId()));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Handlers.class)
	static class App {

	}

	static class Handlers {

		final Map<String, String> traces = new ConcurrentHashMap<>();

		final List<String> notified = new CopyOnWriteArrayList<>();

		private final Tracer tracer;

		private final JdbcTemplate jdbc;

		Handlers(Tracer tracer, JdbcTemplate jdbc) {
			this.tracer = tracer;
			this.jdbc = jdbc;
			jdbc.execute("create table if not exists orders (id varchar(64) primary key)");
		}

		@JobHandler("read_order")
		boolean readOrder(String id) {
			return this.jdbc.queryForObject("select count(*) from orders where id = ?", Integer.class, id) == 1;
		}

		@JobHandler("render")
		String render(String what) {
			return what;
		}

		@JobHandler(value = "notify", queue = "emails")
		void notify(String what) {
			this.notified.add(what);
		}

		@JobHandler("traced")
		void traced(String payload, JobContext context) {
			this.traces.put(payload, this.tracer.currentSpan().context().traceId());
		}

	}

}
