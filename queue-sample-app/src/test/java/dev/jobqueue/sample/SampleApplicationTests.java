package dev.jobqueue.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The quick start works: with no Redis configured the sample starts its own, and every feature answers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	Environment environment;

	@Test
	void startsItsOwnRedisWhenNoneIsConfigured() {
		assertThat(this.environment.getProperty("sample.local-redis.started", Boolean.class)).isTrue();
		assertThat(this.environment.getProperty("spring.data.redis.port", Integer.class)).isNotEqualTo(6379);
	}

	@Test
	void aSignupSendsOneWelcomeEmailEvenWhenRepeated() throws Exception {
		String body = "{\"email\":\"grace@example.com\",\"name\":\"Grace\"}";
		JsonNode first = json.readTree(post("/signup", body, "application/json").body());
		JsonNode second = json.readTree(post("/signup", body, "application/json").body());

		assertThat(second.get("job").asString()).isEqualTo(first.get("job").asString());
		JsonNode done = awaitState("emails", first.get("job").asString(), "completed");
		assertThat(done.get("attempts").asInt()).isEqualTo(1);
	}

	@Test
	void aThumbnailJobReportsProgressAndReturnsItsResult() throws Exception {
		String job = json.readTree(post("/images/cat.png/thumbnail", "", "text/plain").body()).get("job").asString();

		JsonNode done = awaitState("images", job, "completed");
		assertThat(done.get("progress").asInt()).isEqualTo(100);
		assertThat(done.get("result").get("thumbnail").asString()).isEqualTo("cat-128px.png");
	}

	@Test
	void aNightlyReportWaitsForItsTime() throws Exception {
		String job = json.readTree(post("/reports/nightly?inSeconds=1", "", "text/plain").body()).get("job").asString();

		assertThat(get("/jobs/reports/" + job).get("state").asString()).isEqualTo("scheduled");
		awaitState("reports", job, "completed");
	}

	@Test
	void aSignedPaymentWebhookBecomesAHandledJobAndAnUnsignedOneIsRefused() throws Exception {
		String body = "{\"id\":\"evt_test_1\",\"type\":\"charge.succeeded\"}";
		long t = System.currentTimeMillis() / 1000;
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec("whsec_sample_demo_secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		String signature = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));

		HttpResponse<String> accepted = send(HttpRequest.newBuilder(uri("/webhooks/payments"))
			.header("Content-Type", "application/json").header("Stripe-Signature", "t=" + t + ",v1=" + signature).POST(HttpRequest.BodyPublishers.ofString(body)));
		HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/webhooks/payments"))
			.header("Content-Type", "application/json").header("Stripe-Signature", "t=" + t + ",v1=00").POST(HttpRequest.BodyPublishers.ofString(body)));

		assertThat(accepted.statusCode()).isEqualTo(202);
		assertThat(refused.statusCode()).isEqualTo(401);
		JsonNode done = awaitState("payments", json.readTree(accepted.body()).get("id").asString(), "completed");
		assertThat(done.get("result").isString()).isTrue();
		assertThat(done.get("result").asString()).isEqualTo("handled charge.succeeded");
	}

	@Test
	void aFlakyJobEndsInTheDeadLetterQueueAndActuatorShowsIt() throws Exception {
		String job = json.readTree(post("/flaky", "", "text/plain").body()).get("job").asString();

		JsonNode dead = awaitState("default", job, "dead");
		assertThat(dead.get("error").get("message").asString()).startsWith("The downstream service is down");
		assertThat(dead.get("error").get("stackTrace").asString()).contains("IllegalStateException");
		assertThat(get("/actuator/health").get("status").asString()).isEqualTo("UP");
		assertThat(get("/actuator/jobqueue/default").get("deadLetters").valueStream()
			.map((letter) -> letter.get("id").asString())).contains(job);
		assertThat(send(HttpRequest.newBuilder(uri("/actuator/prometheus"))).body())
			.contains("jobqueue_jobs_dead_total{queue=\"default\",type=\"flaky_task\"}");
	}

	@Test
	void theDashboardShowsTheSamplesQueues() throws Exception {
		HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/jobqueue")));
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("data-queue=\"emails\"", "data-queue=\"payments\"", "data-queue=\"reports\"");
	}

	private JsonNode awaitState(String queue, String id, String state) throws Exception {
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			JsonNode status = get("/jobs/" + queue + "/" + id);
			return status != null && state.equals(status.get("state").asString());
		});
		return get("/jobs/" + queue + "/" + id);
	}

	private JsonNode get(String path) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)));
		return (response.statusCode() == 200) ? json.readTree(response.body()) : null;
	}

	private HttpResponse<String> post(String path, String body, String contentType) throws Exception {
		return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
