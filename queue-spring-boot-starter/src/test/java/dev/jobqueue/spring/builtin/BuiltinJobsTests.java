package dev.jobqueue.spring.builtin;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.builtin.JobQueueBuiltinHandlersAutoConfiguration;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.spring.web.StandardWebhooksVerifier;
import dev.jobqueue.test.RecordingEndpoint;
import dev.jobqueue.test.RecordingEndpoint.Answer;
import dev.jobqueue.test.RedisServerExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The built-in webhook and e-mail job types, run by a real worker against a recording loopback server. */
class BuiltinJobsTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static ConfigurableApplicationContext context;

	private static RecordingMailSender mail;

	/** One application for the whole class: its back-off (1 min) is far longer than any test waits. */
	@BeforeAll
	static void start() {
		mail = new RecordingMailSender();
		context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.port=" + redis.server().port(), "jobqueue.key-prefix=builtin",
					"jobqueue.builtin.webhook.enabled=true", "jobqueue.builtin.webhook.secret=" + SECRET,
					"jobqueue.builtin.webhook.timeout=3s", "jobqueue.builtin.webhook.max-retries=1",
					"jobqueue.builtin.webhook.back-off=1m", "jobqueue.builtin.email.enabled=true",
					"jobqueue.builtin.email.from=jobs@example.com")
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JobQueueAutoConfiguration.class, JobQueueBuiltinHandlersAutoConfiguration.class })
	static class App {

		@Bean
		JavaMailSender mailSender() {
			return mail;
		}

	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void aWebhookJobSendsTheSignedRequestAndKeepsTheStatusAndLatency() throws Exception {
		try (RecordingEndpoint endpoint = new RecordingEndpoint(Answer.status(202))) {
			String id = dispatch("jobqueue.webhook", new WebhookRequest(endpoint.url("/orders?token=t0ken"), "put",
					Map.of("X-Tenant", "acme"), json.readTree("{\"order\":42}")));

			JobInfo done = awaitState(id, JobState.COMPLETED);
			JsonNode result = json.readTree(done.result());
			assertThat(result.get("status").asInt()).isEqualTo(202);
			assertThat(result.get("latencyMs").asLong()).isNotNegative();
			RecordingEndpoint.Request request = endpoint.requests().get(0);
			assertThat(request.method()).isEqualTo("PUT");
			assertThat(request.path()).isEqualTo("/orders?token=t0ken");
			assertThat(request.header("x-tenant")).isEqualTo("acme");
			assertThat(request.header("content-type")).isEqualTo("application/json");
			assertThat(json.readTree(request.body()).get("order").asInt()).isEqualTo(42);
			assertThat(request.header("webhook-id")).isEqualTo(id);
			assertThat(new StandardWebhooksVerifier(List.of(SECRET), Duration.ofMinutes(5))
				.verify(request::header, request.body(), Instant.now()).accepted()).isTrue();
		}
	}

	@Test
	void aClientErrorDeadLettersTheJobAtOnce() throws Exception {
		try (RecordingEndpoint endpoint = new RecordingEndpoint(Answer.status(404))) {
			String id = dispatch("jobqueue.webhook", WebhookRequest.post(endpoint.url("/gone"), json.readTree("{}")));

			JobInfo dead = awaitState(id, JobState.DEAD);
			assertThat(dead.attempts()).isEqualTo(1);
			assertThat(dead.lastError().message()).contains("answered 404");
			assertThat(endpoint.requests()).hasSize(1);
		}
	}

	@Test
	void aServerErrorIsRetriedAfterTheRetryAfterItAsksForInsteadOfTheBackOff() throws Exception {
		for (Answer busy : List.of(Answer.status(503, "Retry-After", "1"), Answer.status(429, "Retry-After", "1"),
				Answer.status(408, "Retry-After", "1"))) {
			try (RecordingEndpoint endpoint = new RecordingEndpoint(busy, Answer.status(200))) {
				String id = dispatch("jobqueue.webhook", WebhookRequest.post(endpoint.url("/busy"), json.readTree("{}")));

				// The back-off is 1 min: completing within the wait proves the 1 s Retry-After was used.
				JobInfo done = awaitState(id, JobState.COMPLETED);
				assertThat(done.attempts()).isEqualTo(2);
				List<RecordingEndpoint.Request> requests = endpoint.requests();
				assertThat(Duration.ofNanos(requests.get(1).receivedNanos() - requests.get(0).receivedNanos()))
					.isGreaterThanOrEqualTo(Duration.ofMillis(900));
			}
		}
	}

	@Test
	void aTimeoutIsRetriedAndAJobOutOfRetriesIsDeadLettered() throws Exception {
		try (RecordingEndpoint endpoint = new RecordingEndpoint(Answer.hangs())) {
			String id = dispatch("jobqueue.webhook", WebhookRequest.post(endpoint.url("/slow"), json.readTree("{}")));

			// Not dead: waiting out the configured back-off of a minute for its retry.
			assertThat(awaitState(id, JobState.RETRYING).lastError().message()).contains("timed out");
		}
		try (RecordingEndpoint endpoint = new RecordingEndpoint(Answer.status(500, "Retry-After", "1"),
				Answer.status(502, "Retry-After", "1"))) {
			String id = dispatch("jobqueue.webhook", WebhookRequest.post(endpoint.url("/down"), json.readTree("{}")));

			JobInfo dead = awaitState(id, JobState.DEAD);
			assertThat(dead.attempts()).isEqualTo(2);
			assertThat(dead.lastError().message()).contains("answered 502");
		}
	}

	@Test
	void aWebhookThatCannotEverWorkIsDeadLetteredWithTheReason() throws Exception {
		String id = dispatch("jobqueue.webhook", new WebhookRequest("file:///etc/passwd", null, null, null));

		assertThat(awaitState(id, JobState.DEAD).lastError().message()).contains("must be http or https");
	}

	@Test
	void anEmailJobSendsTextOrHtmlThroughTheMailSender() throws Exception {
		String text = dispatch("jobqueue.email", new EmailMessage(List.of("ada@example.com"), List.of("bob@example.com"),
				"Welcome", "Hello Ada", null));
		String html = dispatch("jobqueue.email", new EmailMessage(List.of("ada@example.com"), null, "Receipt",
				"Paid 10 EUR", "<p>Paid <b>10 EUR</b></p>"));
		awaitState(text, JobState.COMPLETED);
		awaitState(html, JobState.COMPLETED);

		SimpleMailMessage plain = mail.simple.get(0);
		assertThat(plain.getFrom()).isEqualTo("jobs@example.com");
		assertThat(plain.getTo()).containsExactly("ada@example.com");
		assertThat(plain.getCc()).containsExactly("bob@example.com");
		assertThat(plain.getSubject()).isEqualTo("Welcome");
		assertThat(plain.getText()).isEqualTo("Hello Ada");
		MimeMessage rich = mail.mime.get(0);
		assertThat(rich.getSubject()).isEqualTo("Receipt");
		assertThat(rich.getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo("ada@example.com");
		assertThat(rich.getContent()).isInstanceOf(MimeMultipart.class);
		rich.saveChanges();
		ByteArrayOutputStream raw = new ByteArrayOutputStream();
		rich.writeTo(raw);
		assertThat(raw.toString()).contains("Paid 10 EUR", "<p>Paid <b>10 EUR</b></p>", "text/html");
	}

	@Test
	void anEmailWithoutRecipientIsDeadLetteredAtOnce() {
		String id = dispatch("jobqueue.email", new EmailMessage(List.of(), null, "Hi", "text", null));

		JobInfo dead = awaitState(id, JobState.DEAD);
		assertThat(dead.attempts()).isEqualTo(1);
		assertThat(dead.lastError().message()).contains("at least one recipient");
	}

	private static String dispatch(String type, Object payload) {
		return context.getBean(JobDispatcher.class).dispatch(type, payload).id();
	}

	private static Optional<JobInfo> info(String id) {
		return context.getBean(JobQueues.class).redisQueue("default").get(id);
	}

	private static JobInfo awaitState(String id, JobState state) {
		await().atMost(Duration.ofSeconds(20)).until(() -> info(id).map(JobInfo::state).orElse(null) == state);
		return info(id).orElseThrow();
	}

}
