package dev.jobqueue.spring.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.job.Priority;
import dev.jobqueue.spring.dispatch.DispatchOptions;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.dispatch.JobRef;
import dev.jobqueue.spring.it.TestJobsApplication.Email;
import dev.jobqueue.spring.it.TestJobsApplication.Handlers;
import dev.jobqueue.spring.it.TestJobsApplication.Receipt;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.test.LocalRedisServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = TestJobsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = {
				"management.endpoints.web.exposure.include=health,prometheus,jobqueue",
				"management.endpoint.health.show-details=always", "management.endpoint.jobqueue.access=unrestricted" })
@DirtiesContext
class JobQueueEndToEndTests {

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", () -> LocalRedisServer.shared().port());
		registry.add("jobqueue.key-prefix", () -> "e2e");
	}

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	JobDispatcher dispatcher;

	@Autowired
	JobQueues queues;

	@Autowired
	Handlers handlers;

	@Test
	void aDispatchedJobRunsItsHandlerWithTheBoundPayloadAndStoresTheResult() {
		String id = this.dispatcher.dispatch("send_email", new Email("ada@example.com", "Welcome"),
				DispatchOptions.none().metadata("user", "42")).id();

		JobInfo done = awaitState("emails", id, JobState.COMPLETED);
		assertThat(this.handlers.emails).contains(new Email("ada@example.com", "Welcome"));
		assertThat(done.job().metadata()).containsEntry("user", "42");
		JsonNode result = json.readTree(done.result());
		assertThat(result.get("to").asString()).isEqualTo("ada@example.com");
		assertThat(result.get("attempt").asInt()).isEqualTo(1);
	}

	@Test
	void aGenericPayloadBindsToItsDeclaredElementType() {
		String id = this.dispatcher.dispatch("count_batch", List.of(new Email("a", "1"), new Email("b", "2"))).id();

		assertThat(awaitState("default", id, JobState.COMPLETED).result()).isEqualTo("2");
		assertThat(this.handlers.batches).anySatisfy((batch) -> assertThat(batch).containsExactly(new Email("a", "1"), new Email("b", "2")));
	}

	@Test
	void dispatchOptionsReachTheQueue() {
		String delayed = this.dispatcher.dispatchAfter(Duration.ofHours(1), "send_email", new Email("later", "x")).id();
		JobRef urgent = this.dispatcher.dispatch("send_email", new Email("u", "x"),
				DispatchOptions.onQueue("default").priority(Priority.HIGH).maxRetries(9).id("order-7"));
		JobInfo info = awaitState("default", urgent.id(), JobState.COMPLETED);
		JobRef again = this.dispatcher.dispatch("send_email", new Email("u", "other"), DispatchOptions.onQueue("default").id("order-7"));

		assertThat(this.queues.get("emails").get(delayed).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
		assertThat(urgent.created()).isTrue();
		assertThat(again).isEqualTo(urgent);
		assertThat(again.created()).isFalse();
		assertThat(again.existingState()).contains(JobState.COMPLETED);
		assertThat(info.job().priority()).isEqualTo(Priority.HIGH);
		assertThat(info.job().maxRetries()).isEqualTo(9);
		assertThat(this.dispatcher.dispatchIf(false, "send_email", new Email("no", "x"))).isEmpty();
		assertThat(this.dispatcher.dispatchUnless(false, "send_email", new Email("yes", "x"))).isPresent();
		assertThatIllegalArgumentException().isThrownBy(() -> this.dispatcher.dispatch("send_email", new Email("x", "y"),
				DispatchOptions.onQueue("nope"))).withMessageContaining("No queue 'nope' is configured");
	}

	@Test
	void dispatchAllStoresEveryJobAndReturnsTheirIds() {
		List<String> ids = this.dispatcher.dispatchAll("send_email", List.of(new Email("1", "a"), new Email("2", "b"), new Email("3", "c")))
			.stream().map(JobRef::id).toList();

		assertThat(ids).hasSize(3).doesNotHaveDuplicates();
		ids.forEach((id) -> awaitState("emails", id, JobState.COMPLETED));
	}

	@Test
	void dispatchSyncRunsTheHandlerInTheCallersThreadThroughTheSamePipeline() {
		Object result = this.dispatcher.dispatchSync("send_email", new Email("sync@example.com", "now"));

		assertThat(result).isEqualTo(new Receipt("sync@example.com", 1, Thread.currentThread().getName()));
		assertThatIllegalArgumentException().isThrownBy(() -> this.dispatcher.dispatchSync("nobody_handles", "x"))
			.withMessageContaining("No @JobHandler for job type 'nobody_handles'");
		org.assertj.core.api.Assertions.assertThatIllegalStateException()
			.isThrownBy(() -> this.dispatcher.dispatchSync("always_fails", Map.of("n", 1))).withMessage("boom: 1");
	}

	@Test
	void aFailingJobIsRetriedThenDeadLetteredAndMetricsAndTheEndpointShowIt() throws Exception {
		String id = this.dispatcher.dispatch("always_fails", Map.of("n", 7)).id();

		JobInfo dead = awaitState("default", id, JobState.DEAD);
		assertThat(dead.failures()).isEqualTo(2);
		assertThat(dead.lastError().message()).isEqualTo("boom: 7");

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			String prometheus = get("/actuator/prometheus").body();
			assertThat(prometheus).contains("jobqueue_jobs_dead_total{queue=\"default\",type=\"always_fails\"} 1.0")
				.contains("jobqueue_jobs_retried_total{queue=\"default\",type=\"always_fails\"} 1.0")
				.contains("jobqueue_jobs_failed_total{queue=\"default\",type=\"always_fails\"} 2.0")
				.contains("jobqueue_job_duration_seconds_count{outcome=\"failed\",queue=\"default\",type=\"always_fails\"} 2")
				.containsPattern("jobqueue_queue_jobs\\{queue=\"default\",state=\"dead\"} [1-9]")
				.contains("jobqueue_job_wait_seconds_count{queue=\"default\",type=\"always_fails\"}");
		});

		JsonNode queue = json.readTree(get("/actuator/jobqueue/default").body());
		assertThat(queue.get("counts").get("dead").asInt()).isPositive();
		assertThat(queue.get("deadLetters").valueStream().map((letter) -> letter.get("id").asString())).contains(id);
		JsonNode job = json.readTree(get("/actuator/jobqueue/default/" + id).body());
		assertThat(job.get("state").asString()).isEqualTo("dead");
		assertThat(job.get("type").asString()).isEqualTo("always_fails");
		assertThat(job.get("errorType").asString()).isEqualTo(IllegalStateException.class.getName());
		// An anonymous caller sees no job data: the error message quotes the payload.
		assertThat(job.has("error")).isFalse();
		assertThat(job.has("payload")).isFalse();
		assertThat(get("/actuator/jobqueue/default/no-such-job").statusCode()).isEqualTo(404);
		assertThat(get("/actuator/jobqueue/no-such-queue").statusCode()).isEqualTo(404);

		// Spring Security is on the class path: write operations need its role, even with unrestricted access.
		assertThat(post("/actuator/jobqueue/default/" + id, "{\"action\":\"retry\"}").statusCode()).isEqualTo(403);
		assertThat(post("/actuator/jobqueue/default", "{\"action\":\"purge\"}").statusCode()).isEqualTo(403);
		assertThat(this.queues.get("default").deadLetters().size()).isPositive();
	}

	@Test
	void healthIsUpWithQueueCountsAndRunningWorkers() throws Exception {
		JsonNode health = json.readTree(get("/actuator/health").body()).get("components").get("jobqueue");

		assertThat(health.get("status").asString()).isEqualTo("UP");
		assertThat(health.get("details").get("queues").has("emails")).isTrue();
		assertThat(health.get("details").get("queues").get("default").has("ready")).isTrue();
		assertThat(health.get("details").get("workers").get("emails").get("state").asString()).isEqualTo("running");
		assertThat(health.get("details").get("workers").get("emails").get("stuckHandlers").asInt()).isZero();
	}

	@Test
	void theEndpointListsQueuesWorkersAndHandlers() throws Exception {
		JsonNode all = json.readTree(get("/actuator/jobqueue").body());

		assertThat(all.get("queues").has("default")).isTrue();
		assertThat(all.get("workers").get("emails").get("running").asBoolean()).isTrue();
		assertThat(all.get("handlers").valueStream().map((handler) -> handler.get("type").asString()))
			.contains("send_email", "always_fails", "count_batch", "slow");
	}

	private JobInfo awaitState(String queue, String id, JobState state) {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.queues.get(queue).get(id).map(JobInfo::state), (found) -> found.equals(Optional.of(state)));
		return this.queues.get(queue).get(id).orElseThrow();
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
