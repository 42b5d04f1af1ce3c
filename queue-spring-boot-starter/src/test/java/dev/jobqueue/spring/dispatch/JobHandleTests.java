package dev.jobqueue.spring.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;

import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.CancelResult;
import dev.jobqueue.spring.annotation.Backoff;
import dev.jobqueue.spring.annotation.JobHandler;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What an application reads back through the handle a dispatch returns, what its handlers see (MDC, trace,
 * thread) and how dispatches inside transactions behave; one context on a shared redis-server, an H2 database
 * and Brave as the tracer.
 */
@SpringBootTest(classes = JobHandleTests.App.class, properties = { "jobqueue.queues.default.concurrency=1",
		"jobqueue.queues.emails.concurrency=2", "jobqueue.mdc.propagate=tenant", "jobqueue.worker.log-execution=true",
		"spring.threads.virtual.enabled=true" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class JobHandleTests {

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", () -> LocalRedisServer.shared().port());
		registry.add("jobqueue.key-prefix", () -> "handles");
	}

	@Autowired
	JobDispatcher dispatcher;

	@Autowired
	Handlers handlers;

	@Autowired
	Tracer tracer;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PlatformTransactionManager transactions;

	@AfterEach
	void clearMdc() {
		MDC.clear();
	}

	@Test
	void aHandleReadsItsJobsStateAndItsResultBoundToADeclaredType() {
		JobRef ref = this.dispatcher.dispatch("greet", new Person("Ada"));

		JobInfo done = ref.awaitCompletion(Duration.ofSeconds(30));

		assertThat(done.state()).isEqualTo(JobState.COMPLETED);
		assertThat(ref.state()).contains(JobState.COMPLETED);
		assertThat(ref.result(Greeting.class)).contains(new Greeting("Hello, Ada", 1));
		assertThat(ref.result(new TypeReference<Map<String, Object>>() {
		})).hasValueSatisfying((map) -> assertThat(map).containsEntry("text", "Hello, Ada"));
	}

	@Test
	void aResultIsEmptyUntilTheJobCompletedAndAWaitThatRunsOutSaysWhereTheJobIs() {
		JobRef ref = this.dispatcher.dispatchAfter(Duration.ofHours(1), "greet", new Person("Later"));

		assertThat(ref.result(Greeting.class)).isEmpty();
		assertThatExceptionOfType(JobWaitTimeoutException.class).isThrownBy(() -> ref.awaitCompletion(Duration.ofMillis(300)))
			.withMessageContaining(ref.id())
			.withMessageContaining("did not finish within 300 ms; it is scheduled")
			.satisfies((ex) -> assertThat(ex.lastState()).isEqualTo(JobState.SCHEDULED));
		assertThat(ref.cancel()).isEqualTo(CancelResult.CANCELLED);
		assertThat(ref.awaitCompletion(Duration.ofSeconds(30)).state()).isEqualTo(JobState.CANCELLED);
	}

	@Test
	void aJobIsFoundByItsIdAloneOnWhicheverQueueHoldsIt() {
		JobRef routed = this.dispatcher.dispatch("send_email", new Person("Grace"),
				DispatchOptions.none().id("welcome-grace"));

		Optional<JobRef> found = this.dispatcher.find("welcome-grace");

		assertThat(found).hasValueSatisfying((ref) -> {
			assertThat(ref.queue()).isEqualTo("emails");
			assertThat(ref).isEqualTo(routed);
			assertThat(ref.awaitCompletion(Duration.ofSeconds(30)).state()).isEqualTo(JobState.COMPLETED);
		});
		assertThat(this.dispatcher.find("no-such-job")).isEmpty();
	}

	@Test
	void aCompletedJobShowsTheFailureOfItsEarlierAttemptWithItsStackTrace() {
		JobInfo done = this.dispatcher.dispatch("fails_once", "x").awaitCompletion(Duration.ofSeconds(30));

		assertThat(done.state()).isEqualTo(JobState.COMPLETED);
		Map<String, Object> error = JobView.error(done);
		assertThat(error).containsOnlyKeys("earlierError");
		@SuppressWarnings("unchecked")
		Map<String, Object> earlier = (Map<String, Object>) error.get("earlierError");
		assertThat(earlier).containsEntry("message", "first attempt fails");
		assertThat((String) earlier.get("stackTrace")).contains("IllegalStateException").contains("failOnce");
		assertThat(JobView.result(done)).hasToString("\"ok\"");
	}

	@Test
	void aDispatchOfATypeNoRouteOrHandlerKnowsFailsAtTheCallWithTheKnownTypes() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.dispatcher.dispatch("sned_email", "x"))
			.withMessageContaining("Unknown job type 'sned_email'")
			.withMessageContaining("[fails_once, greet, read_order, send_email, traced]");
	}

	@Test
	void whileAHandlerRunsTheMdcHoldsTheJobAndTheCarriedEntriesAndIsClearedAfter(CapturedOutput output) {
		MDC.put("tenant", "acme");
		JobRef first = this.dispatcher.dispatch("greet", new Person("Mdc"));
		MDC.remove("tenant");
		first.awaitCompletion(Duration.ofSeconds(30));
		JobRef second = this.dispatcher.dispatch("greet", new Person("NoTenant"));
		second.awaitCompletion(Duration.ofSeconds(30));

		assertThat(this.handlers.mdc.get("Mdc")).containsEntry("jobId", first.id())
			.containsEntry("jobType", "greet")
			.containsEntry("jobQueue", "default")
			.containsEntry("jobAttempt", "1")
			.containsEntry("tenant", "acme");
		assertThat(this.handlers.mdc.get("NoTenant")).containsEntry("jobId", second.id()).doesNotContainKey("tenant");
		if (!this.handlers.virtual.get("Mdc")) {
			// One platform handler thread on the default queue: the second job ran where the first left its MDC.
			assertThat(this.handlers.threads.get("NoTenant")).isEqualTo(this.handlers.threads.get("Mdc"));
		}
		assertThat(output).contains("Job " + first.id() + " (greet) started on queue 'default', attempt 1")
			.containsPattern("Job " + first.id() + " \\(greet\\) succeeded in \\d+(\\.\\d)? m?s");
	}

	@Test
	void onAJdkWithoutVirtualThreadsHandlersRunOnPlatformThreadsNamedForTheirQueue() {
		this.dispatcher.dispatch("greet", new Person("Thread")).awaitCompletion(Duration.ofSeconds(30));

		String thread = this.handlers.threads.get("Thread");
		if (Runtime.version().feature() < 21) {
			assertThat(thread).startsWith("jobqueue-default-handler-");
		}
		assertThat(this.handlers.virtual.get("Thread")).isEqualTo(Runtime.version().feature() >= 21);
	}

	@Test
	void oneTraceSpansTheDispatchingSpanAndEveryAttemptOfItsJob() {
		Span request = this.tracer.nextSpan().name("request").start();
		JobRef ref;
		try (Tracer.SpanInScope scope = this.tracer.withSpan(request)) {
			ref = this.dispatcher.dispatch("traced", "x");
		}
		finally {
			request.end();
		}

		JobInfo done = ref.awaitCompletion(Duration.ofSeconds(30));

		assertThat(done.job().metadata()).containsKey("traceparent");
		assertThat(done.job().metadata().get("traceparent")).contains(request.context().traceId());
		assertThat(this.handlers.traces).hasSize(2).containsOnly(request.context().traceId());
	}

	@Test
	void insideATransactionTheJobIsStoredAfterTheCommitAndItsHandlerFindsTheRow() {
		TransactionTemplate transaction = new TransactionTemplate(this.transactions);

		JobRef ref = transaction.execute((status) -> {
			this.jdbc.update("insert into orders (id) values (?)", "order-1");
			JobRef dispatched = this.dispatcher.dispatch("read_order", "order-1");
			assertThat(dispatched.id()).isNotBlank();
			assertThat(dispatched.info()).as("not stored before the commit").isEmpty();
			return dispatched;
		});

		assertThat(ref.awaitCompletion(Duration.ofSeconds(30)).state()).isEqualTo(JobState.COMPLETED);
		assertThat(ref.result(Boolean.class)).contains(true);
	}

	@Test
	void aRollbackDropsTheJobAndAnImmediateDispatchIsStoredAtOnce() {
		TransactionTemplate transaction = new TransactionTemplate(this.transactions);

		List<JobRef> refs = transaction.execute((status) -> {
			this.jdbc.update("insert into orders (id) values (?)", "order-2");
			JobRef deferred = this.dispatcher.dispatch("read_order", "order-2");
			JobRef immediate = this.dispatcher.dispatch("greet", new Person("Now"), DispatchOptions.none().immediately());
			assertThat(immediate.info()).as("stored before the commit").isPresent();
			status.setRollbackOnly();
			return List.of(deferred, immediate);
		});

		assertThat(refs.get(0).info()).isEmpty();
		assertThat(this.dispatcher.find(refs.get(0).id())).isEmpty();
		assertThat(refs.get(1).awaitCompletion(Duration.ofSeconds(30)).state()).isEqualTo(JobState.COMPLETED);
	}

	record Person(String name) {
	}

	record Greeting(String text, int attempt) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Handlers.class)
	static class App {

	}

	static class Handlers {

		final Map<String, Map<String, String>> mdc = new ConcurrentHashMap<>();

		final Map<String, String> threads = new ConcurrentHashMap<>();

		final Map<String, Boolean> virtual = new ConcurrentHashMap<>();

		final List<String> traces = new CopyOnWriteArrayList<>();

		final AtomicInteger failures = new AtomicInteger();

		private final Tracer tracer;

		private final JdbcTemplate jdbc;

		Handlers(Tracer tracer, JdbcTemplate jdbc) {
			this.tracer = tracer;
			this.jdbc = jdbc;
			jdbc.execute("create table if not exists orders (id varchar(64) primary key)");
		}

		@JobHandler("greet")
		Greeting greet(Person person, JobContext context) {
			Map<String, String> copy = MDC.getCopyOfContextMap();
			this.mdc.put(person.name(), (copy != null) ? copy : Map.of());
			this.threads.put(person.name(), Thread.currentThread().getName());
			this.virtual.put(person.name(), Thread.currentThread().toString().startsWith("VirtualThread"));
			return new Greeting("Hello, " + person.name(), context.attempt());
		}

		@JobHandler(value = "send_email", queue = "emails")
		void send(Person person) {
		}

		@JobHandler(value = "fails_once", backoff = @Backoff(kind = Backoff.Kind.FIXED, delay = "10ms"))
		String failOnce(String payload, JobContext context) {
			if (context.attempt() == 1) {
				throw new IllegalStateException("first attempt fails");
			}
			return "ok";
		}

		@JobHandler(value = "traced", backoff = @Backoff(kind = Backoff.Kind.FIXED, delay = "10ms"))
		void traced(String payload, JobContext context) {
			this.traces.add(this.tracer.currentSpan().context().traceId());
			if (context.attempt() == 1) {
				throw new IllegalStateException("retry me");
			}
		}

		@JobHandler("read_order")
		boolean readOrder(String id) {
			return this.jdbc.queryForObject("select count(*) from orders where id = ?", Integer.class, id) == 1;
		}

	}

}
