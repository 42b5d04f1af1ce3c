package dev.jobqueue.spring.web;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import redis.clients.jedis.Protocol;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.spring.it.TestJobsApplication;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.test.LocalRedisServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.jobqueue.spring.web.WebhookSenders.gitHub;
import static dev.jobqueue.spring.web.WebhookSenders.standard;
import static dev.jobqueue.spring.web.WebhookSenders.stripe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every webhook case, for each signature scheme, over real HTTP into real Redis. The application
 * connects as a Redis ACL user of its own, so a test can take commands away from it for real.
 */
@SpringBootTest(classes = TestJobsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobqueue.worker.enabled=false",
				"jobqueue.webhooks.standard.path=/webhooks/standard", "jobqueue.webhooks.standard.job-type=standard_event",
				"jobqueue.webhooks.standard.secret=" + JobWebhookTests.STANDARD_SECRET,
				"jobqueue.webhooks.standard.secrets[0]=" + JobWebhookTests.STANDARD_OLD_SECRET,
				"jobqueue.webhooks.standard.max-body-size=1KB", "jobqueue.webhooks.standard.headers=X-Request-Id",
				"jobqueue.webhooks.stripe.path=/webhooks/stripe", "jobqueue.webhooks.stripe.job-type=stripe_event",
				"jobqueue.webhooks.stripe.scheme=stripe", "jobqueue.webhooks.stripe.secret=" + JobWebhookTests.STRIPE_SECRET,
				"jobqueue.webhooks.github.path=/webhooks/github", "jobqueue.webhooks.github.job-type=github_push",
				"jobqueue.webhooks.github.scheme=github", "jobqueue.webhooks.github.secret=gh-secret",
				"jobqueue.webhooks.github.headers=X-GitHub-Delivery,X-GitHub-Event",
				"jobqueue.webhooks.github.queue=emails" })
@DirtiesContext
class JobWebhookTests {

	static final String STANDARD_SECRET = "whsec_c3RhbmRhcmQtd2ViaG9vay1zZWNyZXQta2V5";

	static final String STANDARD_OLD_SECRET = "whsec_b2xkLXNlY3JldC1rZXktYmVpbmctcm90YXRlZA==";

	static final String STRIPE_SECRET = "whsec_stripe_secret";

	private static final String REDIS_USER = "webhook-tests";

	private static final String REDIS_PASSWORD = UUID.randomUUID().toString();

	private static final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		LocalRedisServer redis = LocalRedisServer.shared();
		acl("on", ">" + REDIS_PASSWORD, "~*", "&*", "+@all");
		registry.add("spring.data.redis.port", redis::port);
		registry.add("spring.data.redis.username", () -> REDIS_USER);
		registry.add("spring.data.redis.password", () -> REDIS_PASSWORD);
		registry.add("jobqueue.key-prefix", () -> "webhooks");
	}

	private static void acl(String... rules) {
		String[] arguments = new String[rules.length + 2];
		arguments[0] = "SETUSER";
		arguments[1] = REDIS_USER;
		System.arraycopy(rules, 0, arguments, 2, rules.length);
		LocalRedisServer.shared().client().sendCommand(Protocol.Command.ACL, arguments);
	}

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	JobQueues queues;

	@BeforeEach
	void emptyQueues() {
		this.queues.names().forEach((name) -> this.queues.redis().del(this.queues.redisQueue(name).keys().all().toArray(String[]::new)));
	}

	@AfterEach
	void giveCommandsBack() {
		acl("+@all");
	}

	@Test
	void standardWebhooksRequestBecomesAJobNamedAfterItsDeliveryAndAReplayCreatesNone() throws Exception {
		String body = "{\"type\":\"invoice.paid\",\"amount\":42}";
		String id = "msg_" + UUID.randomUUID();
		Map<String, String> headers = new LinkedHashMap<>(standard(STANDARD_SECRET, id, now(), body));
		headers.put("X-Request-Id", "req-9");

		HttpResponse<String> first = send("/webhooks/standard", body, headers);
		HttpResponse<String> replay = send("/webhooks/standard", body, standard(STANDARD_SECRET, id, now(), body));

		assertThat(first.statusCode()).isEqualTo(202);
		JsonNode accepted = json.readTree(first.body());
		assertThat(accepted.get("queue").asString()).isEqualTo("default");
		String jobId = accepted.get("id").asString();
		assertThat(jobId).isEqualTo("webhook:standard:" + id);
		assertThat(replay.statusCode()).isEqualTo(200);
		assertThat(json.readTree(replay.body()).get("id").asString()).isEqualTo(jobId);
		assertThat(json.readTree(replay.body()).get("duplicate").asBoolean()).isTrue();
		Job job = queue("default").get(jobId).orElseThrow().job();
		assertThat(job.type()).isEqualTo("standard_event");
		assertThat(json.readTree(job.payload())).isEqualTo(json.readTree(body));
		assertThat(job.metadata()).containsEntry("webhook", "standard").containsEntry("delivery", id)
			.containsEntry("X-Request-Id", "req-9");
		assertThat(queue("default").size()).isEqualTo(1);
	}

	@Test
	void standardWebhooksAcceptsTheSecretBeingRotatedOut() throws Exception {
		String body = "{\"n\":1}";
		assertThat(send("/webhooks/standard", body, standard(STANDARD_OLD_SECRET, "msg_old", now(), body)).statusCode())
			.isEqualTo(202);
	}

	@Test
	void standardWebhooksRefusals() throws Exception {
		String body = "{\"n\":1}";
		assertThat(send("/webhooks/standard", body, Map.of()).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/standard", body, standard("whsec_d3Jvbmctc2VjcmV0", "m1", now(), body)).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/standard", "{\"n\":2}", standard(STANDARD_SECRET, "m2", now(), body)).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/standard", body, standard(STANDARD_SECRET, "m3", now() - 600, body)).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/standard", body, standard(STANDARD_SECRET, "m4", now() + 600, body)).statusCode()).isEqualTo(401);
		String notJson = "this is not json";
		assertThat(send("/webhooks/standard", notJson, standard(STANDARD_SECRET, "m5", now(), notJson)).statusCode()).isEqualTo(400);
		String big = "{\"pad\":\"" + "x".repeat(2_000) + "\"}";
		assertThat(send("/webhooks/standard", big, standard(STANDARD_SECRET, "m6", now(), big)).statusCode()).isEqualTo(413);
		assertThat(sendChunked("/webhooks/standard", big, standard(STANDARD_SECRET, "m7", now(), big)).statusCode()).isEqualTo(413);
		assertThat(send("/webhooks/nothing-here", body, standard(STANDARD_SECRET, "m8", now(), body)).statusCode()).isEqualTo(404);
		assertThat(this.http.send(HttpRequest.newBuilder(uri("/webhooks/standard")).GET().build(), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(405);
		assertThat(queue("default").size()).isZero();
	}

	@Test
	void bodiesThatAreNotAJsonObjectAreRefusedEvenWhenSigned() throws Exception {
		for (String body : new String[] { "", "   \n", "[1,2]", "\"text\"", "42", "null" }) {
			assertThat(send("/webhooks/standard", body, standard(STANDARD_SECRET, "m-" + body.hashCode(), now(), body))
				.statusCode()).as("body '%s'", body).isEqualTo(400);
			assertThat(send("/webhooks/stripe", body, stripe(STRIPE_SECRET, now(), body)).statusCode())
				.as("body '%s'", body).isEqualTo(400);
			assertThat(send("/webhooks/github", body, gitHub("gh-secret", "d", body)).statusCode())
				.as("body '%s'", body).isEqualTo(400);
		}
		assertThat(queue("default").size()).isZero();
		assertThat(queue("emails").size()).isZero();
	}

	@Test
	void aBodyThatIsNotDeclaredAsJsonIsRefusedWith415() throws Exception {
		String body = "{\"n\":1}";
		Map<String, String> headers = standard(STANDARD_SECRET, "m-415", now(), body);

		assertThat(send("/webhooks/standard", body, headers, "text/plain").statusCode()).isEqualTo(415);
		assertThat(send("/webhooks/standard", body, headers, "application/x-www-form-urlencoded").statusCode()).isEqualTo(415);
		assertThat(send("/webhooks/standard", body, headers, null).statusCode()).isEqualTo(415);
		assertThat(send("/webhooks/standard", body, headers, "application/json; charset=utf-8").statusCode()).isEqualTo(202);
	}

	@Test
	void aTimestampThatOverflowsWhenComparedIsRefused() throws Exception {
		String body = "{\"n\":1}";
		assertThat(send("/webhooks/standard", body, standard(STANDARD_SECRET, "m-min", now() + Long.MIN_VALUE, body))
			.statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/stripe", "{\"id\":\"evt_min\"}", stripe(STRIPE_SECRET, now() + Long.MIN_VALUE, "{\"id\":\"evt_min\"}"))
			.statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/stripe", "{\"id\":\"evt_max\"}", stripe(STRIPE_SECRET, Long.MAX_VALUE, "{\"id\":\"evt_max\"}"))
			.statusCode()).isEqualTo(401);
		assertThat(queue("default").size()).isZero();
	}

	@Test
	void stripeEventBecomesAJobAndTheSameEventSignedAgainLaterFindsIt() throws Exception {
		String event = "evt_" + UUID.randomUUID().toString().replace("-", "");
		String body = "{\"id\":\"" + event + "\",\"type\":\"payment_intent.succeeded\"}";

		HttpResponse<String> first = send("/webhooks/stripe", body, stripe(STRIPE_SECRET, now() - 250, body));
		// Stripe's retry of the same event carries a new timestamp and signature.
		HttpResponse<String> retry = send("/webhooks/stripe", body, stripe(STRIPE_SECRET, now() + 250, body));

		assertThat(first.statusCode()).isEqualTo(202);
		assertThat(json.readTree(first.body()).get("id").asString()).isEqualTo("webhook:stripe:" + event);
		assertThat(retry.statusCode()).isEqualTo(200);
		assertThat(json.readTree(retry.body()).get("id").asString()).isEqualTo("webhook:stripe:" + event);
		assertThat(queue("default").size()).isEqualTo(1);
		assertThat(queue("default").peek().orElseThrow().type()).isEqualTo("stripe_event");
	}

	@Test
	void stripeRefusals() throws Exception {
		String body = "{\"id\":\"evt_x\"}";
		assertThat(send("/webhooks/stripe", body, Map.of()).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/stripe", body, stripe("whsec_other", now(), body)).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/stripe", body, stripe(STRIPE_SECRET, now() - 400, body)).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/stripe", body, stripe(STRIPE_SECRET, now() + 400, body)).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/stripe", "nope", stripe(STRIPE_SECRET, now(), "nope")).statusCode()).isEqualTo(400);
		for (String noId : new String[] { "{\"type\":\"charge.succeeded\"}", "{\"id\":\"\"}", "{\"id\":\"  \"}", "{\"id\":null}" }) {
			assertThat(send("/webhooks/stripe", noId, stripe(STRIPE_SECRET, now(), noId)).statusCode()).as(noId).isEqualTo(400);
		}
		assertThat(queue("default").size()).isZero();
	}

	@Test
	void aDeliveryWhoseEnqueueFailedIsAcceptedWhenTheSenderRetries() throws Exception {
		String body = "{\"id\":\"evt_retried\"}";
		// The queue's scripts and DEL fail, as they would with Redis failing over in the middle of a request.
		acl("-evalsha", "-eval", "-del");
		HttpResponse<String> failed = send("/webhooks/stripe", body, stripe(STRIPE_SECRET, now(), body));
		acl("+@all");
		HttpResponse<String> retried = send("/webhooks/stripe", body, stripe(STRIPE_SECRET, now(), body));

		assertThat(failed.statusCode()).isEqualTo(503);
		assertThat(retried.statusCode()).isEqualTo(202);
		assertThat(queue("default").get("webhook:stripe:evt_retried")).isPresent();
	}

	@Test
	void gitHubPushBecomesAJobOnItsQueueAndACapturedBodyWithNewDeliveryHeadersCreatesNoMore() throws Exception {
		String body = "{\"ref\":\"refs/heads/main\",\"after\":\"" + UUID.randomUUID() + "\"}";

		HttpResponse<String> first = send("/webhooks/github", body, gitHub("gh-secret", UUID.randomUUID().toString(), body));
		for (int i = 0; i < 15; i++) {
			HttpResponse<String> replay = send("/webhooks/github", body, gitHub("gh-secret", UUID.randomUUID().toString(), body));
			assertThat(replay.statusCode()).isEqualTo(200);
			assertThat(json.readTree(replay.body()).get("id").asString()).isEqualTo(json.readTree(first.body()).get("id").asString());
		}

		assertThat(first.statusCode()).isEqualTo(202);
		assertThat(json.readTree(first.body()).get("queue").asString()).isEqualTo("emails");
		assertThat(json.readTree(first.body()).get("id").asString()).startsWith("webhook:github:sha256-");
		assertThat(queue("emails").size()).isEqualTo(1);
		assertThat(queue("emails").peek().orElseThrow().metadata()).containsKeys("X-GitHub-Delivery")
			.containsEntry("X-GitHub-Event", "push");
	}

	@Test
	void gitHubRefusals() throws Exception {
		String body = "{\"ref\":\"x\"}";
		assertThat(send("/webhooks/github", body, Map.of("X-GitHub-Delivery", "d")).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/github", body, gitHub("wrong", "d", body)).statusCode()).isEqualTo(401);
		assertThat(send("/webhooks/github", "[oops", gitHub("gh-secret", "d", "[oops")).statusCode()).isEqualTo(400);
		assertThat(queue("emails").size()).isZero();
	}

	private RedisJobQueue queue(String queue) {
		return this.queues.redisQueue(queue);
	}

	private static long now() {
		return Instant.now().getEpochSecond();
	}

	private HttpResponse<String> send(String path, String body, Map<String, String> headers) throws Exception {
		return send(path, body, headers, "application/json");
	}

	private HttpResponse<String> send(String path, String body, Map<String, String> headers, String contentType)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Without a Content-Length: the limit must hold while reading. */
	private HttpResponse<String> sendChunked(String path, String body, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers
			.ofInputStream(() -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
		headers.forEach(request::header);
		return this.http.send(request.header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
