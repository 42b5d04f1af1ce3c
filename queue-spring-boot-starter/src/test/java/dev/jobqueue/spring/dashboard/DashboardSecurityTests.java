package dev.jobqueue.spring.dashboard;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.monitor.WorkerRegistry;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in an application with Spring Security (Boot's default filter chain): sign-in needed,
 * roles checked, CSRF tokens required on writes. The other tests keep Spring Security's
 * auto-configuration off (application.properties); this one turns it back on.
 */
@SpringBootTest(classes = { DashboardTestApplication.class, DashboardSecurityTests.Users.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.autoconfigure.exclude=", "jobqueue.queues.work.concurrency=1",
				"jobqueue.dashboard.enabled=true", "jobqueue.dashboard.read-only=false" })
@DirtiesContext
class DashboardSecurityTests {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", () -> LocalRedisServer.shared().port());
		registry.add("jobqueue.key-prefix", () -> "dash-sec");
	}

	@TestConfiguration
	static class Users {

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("viewer").password("{noop}secret").roles("JOBQUEUE_VIEWER").build(),
					User.withUsername("ops").password("{noop}secret").roles("JOBQUEUE_OPERATOR").build(),
					User.withUsername("someone").password("{noop}secret").roles("USER").build());
		}

	}

	@LocalServerPort
	int port;

	@Autowired
	JobQueues queues;

	@Autowired
	WorkerRegistry registry;

	@Test
	void withoutSigningInTheDashboardIsRefused() throws Exception {
		HttpClient anonymous = HttpClient.newHttpClient();
		HttpResponse<String> page = anonymous.send(request("/jobqueue", null).header("Accept", "text/html").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(302);
		assertThat(page.headers().firstValue("Location")).hasValueSatisfying((location) -> assertThat(location).endsWith("/login"));
		assertThat(anonymous.send(request("/jobqueue/live", null).build(), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(401);
	}

	@Test
	void aUserWithoutADashboardRoleIsRefused() throws Exception {
		assertThat(client().send(request("/jobqueue", "someone").build(), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(403);
	}

	@Test
	void aViewerSeesButCannotWrite() throws Exception {
		RedisJobQueue queue = deadQueue("seen", "v1");
		HttpClient viewer = client();
		HttpResponse<String> page = viewer.send(request("/jobqueue/queue?name=seen&state=dead", "viewer").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("v1").doesNotContain("method=\"post\"");
		// Refused whichever check comes first: Spring Security's CSRF filter or the dashboard's role check.
		assertThat(viewer.send(post("/jobqueue/dead/purge", "viewer", "queue=seen"), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isIn(401, 403);
		assertThat(queue.deadLetters().size()).isEqualTo(1);
	}

	@Test
	void anOperatorWritesOnlyWithTheCsrfTokenOfThePage() throws Exception {
		RedisJobQueue queue = deadQueue("operated", "o1");
		HttpClient ops = client();
		assertThat(ops.send(post("/jobqueue/dead/retry", "ops", "queue=operated&id=o1"), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isIn(401, 403);
		assertThat(queue.deadLetters().size()).isEqualTo(1);

		HttpResponse<String> page = ops.send(request("/jobqueue/queue?name=operated&state=dead", "ops").build(),
				HttpResponse.BodyHandlers.ofString());
		Matcher token = CSRF.matcher(page.body());
		assertThat(token.find()).as("the page's forms carry a CSRF token").isTrue();
		HttpResponse<String> retried = ops.send(post("/jobqueue/dead/retry", "ops",
				"queue=operated&id=o1&_csrf=" + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8)),
				HttpResponse.BodyHandlers.ofString());
		assertThat(retried.statusCode()).isEqualTo(303);
		assertThat(queue.deadLetters().size()).isZero();
	}

	private RedisJobQueue deadQueue(String name, String id) {
		this.registry.addQueues(List.of(name));
		RedisJobQueue queue = new RedisJobQueue(this.queues.redis(), name, QueueOptions.defaults().withKeyPrefix("dash-sec"));
		queue.enqueue(Job.ofJson("report", "{}").withId(id));
		queue.settle(queue.store().lease(1, false).jobs().get(0),
				new Outcome.Dead(new JobError("no", "java.lang.IllegalStateException", "", "w")));
		return queue;
	}

	private static HttpClient client() {
		return HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
	}

	private HttpRequest.Builder request(String path, String user) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (user != null) {
			builder.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8)));
		}
		return builder;
	}

	private HttpRequest post(String path, String user, String form) {
		return request(path, user).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build();
	}

}
