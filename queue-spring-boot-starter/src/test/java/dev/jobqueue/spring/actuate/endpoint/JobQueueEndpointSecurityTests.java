package dev.jobqueue.spring.actuate.endpoint;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.LeasedJob;
import dev.jobqueue.core.queue.Outcome;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.test.LocalRedisServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint behind a real Spring Security set-up, the one README shows: every actuator request
 * must be authenticated (HTTP Basic), and the endpoint itself demands the write role, so a merely
 * authenticated caller can read counts but neither change jobs nor see their data.
 */
@SpringBootTest(classes = JobQueueEndpointSecurityTests.SecuredApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.autoconfigure.exclude=", "jobqueue.worker.enabled=false",
				"management.endpoints.web.exposure.include=jobqueue", "management.endpoint.jobqueue.access=unrestricted" })
@DirtiesContext
class JobQueueEndpointSecurityTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", () -> LocalRedisServer.shared().port());
		registry.add("jobqueue.key-prefix", () -> "endpoint-security");
	}

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	JobQueues queues;

	private RedisJobQueue queue;

	private String deadId;

	private String pendingId;

	@BeforeEach
	void aDeadLetterAndAPendingJob() {
		this.queue = this.queues.redisQueue("default");
		this.queues.redis().del(this.queue.keys().all().toArray(String[]::new));
		this.deadId = this.queue.enqueue(Job.ofJson("charge", "{\"card\":\"4242\"}").withMetadata("customer", "ada@example.com")).id();
		LeasedJob leased = this.queue.store().lease(1, false).jobs().get(0);
		this.queue.settle(leased, new Outcome.Dead(new JobError("card 4242 declined", IllegalStateException.class.getName(), null, "w-1")));
		this.pendingId = this.queue.enqueue(Job.ofJson("charge", "{\"card\":\"5555\"}")).id();
	}

	@Test
	void anonymousCallersAreTurnedAwayBySpringSecurity() throws Exception {
		assertThat(send("GET", "/actuator/jobqueue/default", null, null).statusCode()).isEqualTo(401);
		assertThat(send("POST", "/actuator/jobqueue/default", "{\"action\":\"purge\"}", null).statusCode()).isEqualTo(401);
		assertThat(this.queue.deadLetters().size()).isEqualTo(1);
	}

	@Test
	void anAuthenticatedCallerWithoutTheRoleReadsCountsButNoJobDataAndCannotWrite() throws Exception {
		JsonNode queueView = json.readTree(send("GET", "/actuator/jobqueue/default", null, "viewer").body());
		JsonNode jobView = json.readTree(send("GET", "/actuator/jobqueue/default/" + this.deadId, null, "viewer").body());

		assertThat(queueView.get("counts").get("dead").asInt()).isEqualTo(1);
		assertThat(queueView.get("deadLetters").get(0).has("error")).isFalse();
		assertThat(jobView.get("state").asString()).isEqualTo("dead");
		assertThat(jobView.get("errorType").asString()).isEqualTo(IllegalStateException.class.getName());
		assertThat(jobView.has("error")).isFalse();
		assertThat(jobView.has("metadata")).isFalse();
		assertThat(jobView.has("payload")).isFalse();

		for (String[] write : new String[][] { { "/actuator/jobqueue/default", "retry-all" },
				{ "/actuator/jobqueue/default", "purge" }, { "/actuator/jobqueue/default/" + this.deadId, "retry" },
				{ "/actuator/jobqueue/default/" + this.deadId, "delete" },
				{ "/actuator/jobqueue/default/" + this.pendingId, "cancel" } }) {
			assertThat(send("POST", write[0], "{\"action\":\"" + write[1] + "\"}", "viewer").statusCode())
				.as(write[1]).isEqualTo(403);
		}
		assertThat(this.queue.deadLetters().size()).isEqualTo(1);
		assertThat(this.queue.get(this.pendingId).orElseThrow().state()).isEqualTo(JobState.PENDING);
	}

	@Test
	void theWriteRoleSeesJobDataAndChangesJobs() throws Exception {
		JsonNode jobView = json.readTree(send("GET", "/actuator/jobqueue/default/" + this.deadId, null, "admin").body());
		assertThat(jobView.get("error").get("message").asString()).isEqualTo("card 4242 declined");
		assertThat(jobView.get("metadata").get("customer").asString()).isEqualTo("ada@example.com");
		assertThat(jobView.has("payload")).isFalse();

		HttpResponse<String> cancelled = send("POST", "/actuator/jobqueue/default/" + this.pendingId, "{\"action\":\"cancel\"}", "admin");
		HttpResponse<String> purged = send("POST", "/actuator/jobqueue/default", "{\"action\":\"purge\"}", "admin");
		HttpResponse<String> unknown = send("POST", "/actuator/jobqueue/default", "{\"action\":\"explode\"}", "admin");

		assertThat(cancelled.statusCode()).isEqualTo(200);
		assertThat(json.readTree(cancelled.body()).get("result").asString()).isEqualTo("CANCELLED");
		assertThat(purged.statusCode()).isEqualTo(200);
		assertThat(json.readTree(purged.body()).get("jobs").asLong()).isEqualTo(1);
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(this.queue.deadLetters().size()).isZero();
	}

	private HttpResponse<String> send(String method, String path, String body, String user) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
			.header("Content-Type", "application/json");
		if (user != null) {
			request.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString((user + ":" + user + "-password").getBytes(StandardCharsets.UTF_8)));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** An application that secures its actuator endpoints as README shows. */
	@SpringBootApplication
	static class SecuredApplication {

		@Bean
		SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
			return http.securityMatcher(EndpointRequest.toAnyEndpoint())
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.csrf((csrf) -> csrf.ignoringRequestMatchers(EndpointRequest.to(JobQueueEndpoint.class)))
				.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("admin").password("{noop}admin-password").roles("ACTUATOR", "JOBQUEUE_ADMIN").build(),
					User.withUsername("viewer").password("{noop}viewer-password").roles("ACTUATOR").build());
		}

	}

}
