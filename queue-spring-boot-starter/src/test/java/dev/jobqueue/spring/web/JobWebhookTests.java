package dev.jobqueue.spring.web;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.spring.it.TestJobsApplication;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.test.LocalRedisServer;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Every webhook case, for each signature scheme, over real HTTP into real Redis. */
@SpringBootTest(classes = TestJobsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobqueue.worker.enabled=false",
				"jobqueue.webhooks.standard.path=/webhooks/standard", "jobqueue.webhooks.standard.job-type=standard_event",
				"jobqueue.webhooks.standard.secret=" + JobWebhookTests.STANDARD_SECRET,
				"jobqueue.webhooks.standard.secrets[0]=" + JobWebhookTests.STANDARD_OLD_SECRET,
				"jobqueue.webhooks.standard.max-body-size=1KB", "jobqueue.webhooks.standard.headers=X-Request-Id",
				"jobqueue.webhooks.stripe.path=/webhooks/stripe", "jobqueue.webhooks.stripe.job-type=stripe_event",
				"jobqueue.webhooks.stripe.scheme=stripe", "jobqueue.webhooks.stripe.secret=whsec_stripe_secret",
				"jobqueue.webhooks.github.path=/webhooks/github", "jobqueue.webhooks.github.job-type=github_push",
				"jobqueue.webhooks.github.scheme=github", "jobqueue.webhooks.github.secret=gh-secret",
				"jobqueue.webhooks.github.queue=emails" })
@DirtiesContext
class JobWebhookTests {

	static final String STANDARD_SECRET = "whsec_c3RhbmRhcmQtd2ViaG9vay1zZWNyZXQta2V5";

	static final String STANDARD_OLD_SECRET = "whsec_b2xkLXNlY3JldC1rZXktYmVpbmctcm90YXRlZA==";

	private static final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", () -> LocalRedisServer.shared().port());
		registry.add("jobqueue.key-prefix", () -> "webhooks");
	}

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	JobQueues queues;

	@BeforeEach
	void emptyQueues() {
		this.queues.all().forEach((queue) -> this.queues.redis().del(queue.keys().all().toArray(String[]::new)));
	}

	@Test
	void standardWebhooksRequestBecomesAJobAndAReplayCreatesNone() throws Exception {
		String body = "{\"type\":\"invoice.paid\",\"amount\":42}";
		String id = "msg_" + UUID.randomUUID();

		HttpResponse<String> first = send("/webhooks/standard", body, standardHeaders(STANDARD_SECRET, id, Instant.now(), body, "X-Request-Id", "req-9"));
		HttpResponse<String> replay = send("/webhooks/standard", body, standardHeaders(STANDARD_SECRET, id, Instant.now(), body));

		assertThat(first.statusCode()).isEqualTo(202);
		String jobId = json.readTree(first.body()).get("id").asString();
		assertThat(replay.statusCode()).isEqualTo(200);
		assertThat(json.readTree(replay.body()).get("id").asString()).isEqualTo(jobId);
		Job job = pending("default").get(jobId).orElseThrow().job();
		assertThat(job.type()).isEqualTo("standard_event");
		assertThat(json.readTree(job.payload())).isEqualTo(json.readTree(body));
		assertThat(job.metadata()).containsEntry("webhook", "standard").containsEntry("delivery", id)
			.containsEntry("X-Request-Id", "req-9");
		assertThat(pending("default").size()).isEqualTo(1);
	}

	@Test
	void standardWebhooksAcceptsTheSecretBeingRotatedOut() throws Exception {
		String body = "{\"n\":1}";
		assertThat(send("/webhooks/standard", body, standardHeaders(STANDARD_OLD_SECRET, "msg_old", Instant.now(), body))
			.statusCode()).isEqualTo(202);
	}

	@Test
	void standardWebhooksRefusals() throws Exception {
		String body = "{\"n\":1}";
		assertThat(send("/webhooks/standard", body, Map.of()).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/standard", body, standardHeaders("whsec_d3Jvbmctc2VjcmV0", "m1", Instant.now(), body)).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/standard", "{\"n\":2}", standardHeaders(STANDARD_SECRET, "m2", Instant.now(), body)).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/standard", body, standardHeaders(STANDARD_SECRET, "m3", Instant.now().minusSeconds(600), body)).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/standard", body, standardHeaders(STANDARD_SECRET, "m4", Instant.now().plusSeconds(600), body)).statusCode()).isEqualTo(401);
		String notJson = "this is not json";
		assertThat(send("/webhooks/standard", notJson, standardHeaders(STANDARD_SECRET, "m5", Instant.now(), notJson)).statusCode()).isEqualTo(400);
		String big = "{\"pad\":\"" + "x".repeat(2_000) + "\"}";
		assertThat(send("/webhooks/standard", big, standardHeaders(STANDARD_SECRET, "m6", Instant.now(), big)).statusCode()).isEqualTo(413);
		assertThat(sendChunked("/webhooks/standard", big, standardHeaders(STANDARD_SECRET, "m7", Instant.now(), big)).statusCode()).isEqualTo(413);
		assertThat(send("/webhooks/nothing-here", body, standardHeaders(STANDARD_SECRET, "m8", Instant.now(), body)).statusCode()).isEqualTo(404);
		assertThat(this.http.send(HttpRequest.newBuilder(uri("/webhooks/standard")).GET().build(), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(405);
		assertThat(pending("default").size()).isZero();
	}

	@Test
	void stripeRequestBecomesAJobAndItsEventIdStopsReplays() throws Exception {
		String body = "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"type\":\"payment_intent.succeeded\"}";

		HttpResponse<String> first = send("/webhooks/stripe", body, stripeHeaders("whsec_stripe_secret", Instant.now(), body));
		HttpResponse<String> replay = send("/webhooks/stripe", body, stripeHeaders("whsec_stripe_secret", Instant.now(), body));

		assertThat(first.statusCode()).isEqualTo(202);
		assertThat(replay.statusCode()).isEqualTo(200);
		assertThat(json.readTree(replay.body()).get("id").asString()).isEqualTo(json.readTree(first.body()).get("id").asString());
		assertThat(pending("default").size()).isEqualTo(1);
		assertThat(pending("default").peek().orElseThrow().type()).isEqualTo("stripe_event");
	}

	@Test
	void stripeRefusals() throws Exception {
		String body = "{\"id\":\"evt_x\"}";
		assertThat(send("/webhooks/stripe", body, Map.of()).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/stripe", body, stripeHeaders("whsec_other", Instant.now(), body)).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/stripe", body, stripeHeaders("whsec_stripe_secret", Instant.now().minusSeconds(400), body)).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/stripe", body, stripeHeaders("whsec_stripe_secret", Instant.now().plusSeconds(400), body)).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/stripe", "nope", stripeHeaders("whsec_stripe_secret", Instant.now(), "nope")).statusCode()).isEqualTo(400);
		assertThat(pending("default").size()).isZero();
	}

	@Test
	void gitHubRequestBecomesAJobOnItsQueueAndItsDeliveryIdStopsReplays() throws Exception {
		String body = "{\"ref\":\"refs/heads/main\"}";
		String delivery = UUID.randomUUID().toString();

		HttpResponse<String> first = send("/webhooks/github", body, gitHubHeaders("gh-secret", delivery, body));
		HttpResponse<String> replay = send("/webhooks/github", body, gitHubHeaders("gh-secret", delivery, body));

		assertThat(first.statusCode()).isEqualTo(202);
		assertThat(replay.statusCode()).isEqualTo(200);
		assertThat(pending("emails").size()).isEqualTo(1);
		assertThat(pending("emails").peek().orElseThrow().metadata()).containsEntry("delivery", delivery);
	}

	@Test
	void gitHubRefusals() throws Exception {
		String body = "{\"ref\":\"x\"}";
		assertThat(send("/webhooks/github", body, Map.of("X-GitHub-Delivery", "d")).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/github", body, gitHubHeaders("wrong", "d", body)).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/github", "[oops", gitHubHeaders("gh-secret", "d", "[oops")).statusCode()).isEqualTo(400);
		assertThat(pending("emails").size()).isZero();
	}

	private RedisJobQueue pending(String queue) {
		return this.queues.get(queue);
	}

	private static Map<String, String> standardHeaders(String secret, String id, Instant at, String body, String... extra) {
		byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
		String timestamp = String.valueOf(at.getEpochSecond());
		String signature = Base64.getEncoder().encodeToString(
				WebhookSignatureVerifier.hmacSha256(key, (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
		Map<String, String> headers = new java.util.LinkedHashMap<>(Map.of("webhook-id", id, "webhook-timestamp", timestamp,
				"webhook-signature", "v1," + signature));
		for (int i = 0; i < extra.length; i += 2) {
			headers.put(extra[i], extra[i + 1]);
		}
		return headers;
	}

	private static Map<String, String> stripeHeaders(String secret, Instant at, String body) {
		long t = at.getEpochSecond();
		String signature = HexFormat.of().formatHex(WebhookSignatureVerifier.hmacSha256(secret.getBytes(StandardCharsets.UTF_8),
				(t + "." + body).getBytes(StandardCharsets.UTF_8)));
		return Map.of("Stripe-Signature", "t=" + t + ",v1=" + signature);
	}

	private static Map<String, String> gitHubHeaders(String secret, String delivery, String body) {
		String signature = HexFormat.of().formatHex(WebhookSignatureVerifier.hmacSha256(secret.getBytes(StandardCharsets.UTF_8),
				body.getBytes(StandardCharsets.UTF_8)));
		return Map.of("X-Hub-Signature-256", "sha256=" + signature, "X-GitHub-Delivery", delivery);
	}

	private HttpResponse<String> send(String path, String body, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		return this.http.send(request.header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Without a Content-Length: the limit must hold while reading. */
	private HttpResponse<String> sendChunked(String path, String body, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers
			.ofInputStream(() -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
		headers.forEach(request::header);
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
