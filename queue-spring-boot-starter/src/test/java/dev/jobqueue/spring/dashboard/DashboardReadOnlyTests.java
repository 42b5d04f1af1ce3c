package dev.jobqueue.spring.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.jobqueue.core.flow.FlowStatus;
import dev.jobqueue.core.flow.Flows;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.monitor.WorkerRegistry;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard as configured by default once enabled: read-only, writes absent from pages and refused. */
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobqueue.queues.work.concurrency=1", "jobqueue.dashboard.enabled=true",
				"jobqueue.dashboard.path=/ops/jobs" })
@DirtiesContext
class DashboardReadOnlyTests {

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", () -> LocalRedisServer.shared().port());
		registry.add("jobqueue.key-prefix", () -> "dash-ro");
	}

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	JobQueues queues;

	@Autowired
	WorkerRegistry registry;

	@Test
	void pagesOfferNoWriteActionsAndWritesAreRefusedWith403() throws Exception {
		this.registry.addQueues(List.of("ro"));
		RedisJobQueue queue = new RedisJobQueue(this.queues.redis(), "ro", QueueOptions.defaults().withKeyPrefix("dash-ro"));
		queue.enqueue(Job.ofJson("report", "{}").withId("d1"));
		queue.settle(queue.store().lease(1, false).jobs().get(0),
				new Outcome.Dead(new JobError("no", "java.lang.IllegalStateException", "", "w")));
		new Flows(queue).batch().id("b1").add("report", Map.of()).dispatch();

		for (String page : List.of("/ops/jobs", "/ops/jobs/queue?name=ro&state=dead", "/ops/jobs/job?queue=ro&id=d1",
				"/ops/jobs/flows", "/ops/jobs/flow?queue=ro&id=b1", "/ops/jobs/coordination")) {
			HttpResponse<String> response = get(page);
			assertThat(response.statusCode()).as(page).isEqualTo(200);
			assertThat(response.body()).as(page).contains("read-only").doesNotContain("method=\"post\"");
			assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
					(csp) -> assertThat(csp).contains("script-src 'self'"));
		}
		for (String action : List.of("/dead/retry", "/dead/delete", "/dead/purge", "/pause", "/resume",
				"/flow/cancel")) {
			HttpResponse<String> response = post("/ops/jobs" + action, "queue=ro&id=" + (action.startsWith("/flow") ? "b1" : "d1")
					+ "&all=true");
			assertThat(response.statusCode()).as(action).isEqualTo(403);
		}
		assertThat(queue.deadLetters().size()).isEqualTo(1);
		assertThat(new Flows(queue).batchStatus("b1").orElseThrow().status()).isEqualTo(FlowStatus.RUNNING);
		assertThat(get("/jobqueue").statusCode()).isEqualTo(404);
	}

	@Test
	void badParametersAreRefusedWithAClearStatus() throws Exception {
		assertThat(get("/ops/jobs/queue?name=nope").statusCode()).isEqualTo(404);
		assertThat(get("/ops/jobs/queue?name=default&state=bogus").statusCode()).isEqualTo(400);
		assertThat(get("/ops/jobs/queue?name=default&page=-1").statusCode()).isEqualTo(400);
		assertThat(get("/ops/jobs/queue?name=default&page=999999999").statusCode()).isEqualTo(400);
		assertThat(get("/ops/jobs/job?queue=default&id=missing").statusCode()).isEqualTo(404);
		assertThat(get("/ops/jobs/flow?queue=default&id=missing").statusCode()).isEqualTo(404);
		assertThat(get("/ops/jobs/flows?queue=nope").statusCode()).isEqualTo(404);
		assertThat(get("/ops/jobs/assets/../../application.properties").statusCode()).isEqualTo(404);
		HttpResponse<String> reflected = get("/ops/jobs/queue?name=%3Cscript%3Ealert(1)%3C/script%3E");
		assertThat(reflected.statusCode()).isEqualTo(404);
		assertThat(reflected.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String form) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
