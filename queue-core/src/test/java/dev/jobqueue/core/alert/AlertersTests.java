package dev.jobqueue.core.alert;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.jobqueue.test.RecordingEndpoint;
import dev.jobqueue.test.RecordingEndpoint.Answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertersTests {

	private static final DeadLetterAlert ALERT = new DeadLetterAlert("job-42", "charge_card", "payments",
			"card <declined> & more", 4, Instant.parse("2026-11-26T06:00:00Z"));

	private static final DeadLetterSummary SUMMARY = new DeadLetterSummary("charge_card", 312, Duration.ofMinutes(5),
			Instant.parse("2026-11-26T06:05:00Z"), "card declined");

	private final JsonMapper json = JsonMapper.builder().build();

	private RecordingEndpoint server;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void theWebhookAlerterPostsTheAlertAsJson() throws Exception {
		this.server = new RecordingEndpoint();
		new WebhookAlerter(this.server.url("/hooks/dlq"), null, Duration.ofSeconds(2), Duration.ofSeconds(5),
				"https://ops.example.com/jobqueue/").send(ALERT);

		RecordingEndpoint.Request request = this.server.requests().get(0);
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/hooks/dlq");
		assertThat(request.header("content-type")).isEqualTo("application/json");
		assertThat(request.header("webhook-signature")).isNull();
		JsonNode body = this.json.readTree(request.body());
		assertThat(body.get("type").asString()).isEqualTo("job.dead_lettered");
		assertThat(body.get("jobId").asString()).isEqualTo("job-42");
		assertThat(body.get("jobType").asString()).isEqualTo("charge_card");
		assertThat(body.get("queue").asString()).isEqualTo("payments");
		assertThat(body.get("error").asString()).isEqualTo("card <declined> & more");
		assertThat(body.get("attempts").asInt()).isEqualTo(4);
		assertThat(body.get("at").asString()).isEqualTo("2026-11-26T06:00:00Z");
		assertThat(body.get("dashboardUrl").asString())
			.isEqualTo("https://ops.example.com/jobqueue/job?queue=payments&id=job-42");
	}

	@Test
	void theWebhookAlerterPostsASummaryWithItsCountAndLatestError() throws Exception {
		this.server = new RecordingEndpoint();
		new WebhookAlerter(this.server.url("/"), null, Duration.ofSeconds(2), Duration.ofSeconds(5), null).send(SUMMARY);

		JsonNode body = this.json.readTree(this.server.requests().get(0).body());
		assertThat(body.get("type").asString()).isEqualTo("job.dead_lettered.summary");
		assertThat(body.get("count").asLong()).isEqualTo(312);
		assertThat(body.get("windowSeconds").asLong()).isEqualTo(300);
		assertThat(body.get("latestError").asString()).isEqualTo("card declined");
		assertThat(body.get("text").asString()).isEqualTo("312 more charge_card jobs dead-lettered in the last 5 min");
	}

	@Test
	void anAnswerOtherThan2xxIsAFailureThatDoesNotShowTheUrl() throws Exception {
		this.server = new RecordingEndpoint().always(Answer.status(503));
		WebhookAlerter alerter = new WebhookAlerter(this.server.url("/secret-token-path"), null, Duration.ofSeconds(2),
				Duration.ofSeconds(5), null);

		assertThatThrownBy(() -> alerter.send(ALERT)).hasMessageContaining("503").hasMessageNotContaining("secret-token");
		assertThat(alerter.toString()).doesNotContain("secret-token");
	}

	@Test
	void anEndpointThatHangsFailsTheCallAfterTheTimeout() throws Exception {
		this.server = new RecordingEndpoint().always(Answer.hangs());
		WebhookAlerter alerter = new WebhookAlerter(this.server.url("/"), null, Duration.ofSeconds(2),
				Duration.ofMillis(500), null);

		assertThatThrownBy(() -> alerter.send(ALERT)).isInstanceOf(HttpTimeoutException.class);
	}

	@Test
	void theSlackAlerterPostsAReadableMessageToItsChannel() throws Exception {
		this.server = new RecordingEndpoint();
		SlackAlerter slack = new SlackAlerter(this.server.url("/services/T000/B000/XXXX"), "#ops-alerts",
				Duration.ofSeconds(5), "https://ops.example.com/jobqueue");
		slack.send(ALERT);
		slack.send(SUMMARY);

		JsonNode message = this.json.readTree(this.server.requests().get(0).body());
		assertThat(message.get("channel").asString()).isEqualTo("#ops-alerts");
		assertThat(message.get("text").asString()).isEqualTo("""
				:rotating_light: Job `charge_card` dead-lettered on queue `payments` after 4 attempts
				*Job id:* `job-42`
				*Error:* ```card &lt;declined&gt; &amp; more```
				<https://ops.example.com/jobqueue/job?queue=payments&id=job-42|Open in the dashboard>""");
		JsonNode summary = this.json.readTree(this.server.requests().get(1).body());
		assertThat(summary.get("text").asString()).isEqualTo(":rotating_light: 312 more `charge_card` jobs "
				+ "dead-lettered in the last 5 min, latest error: ```card declined```");
		assertThat(slack.toString()).doesNotContain("XXXX");
	}

	@Test
	void theSlackAlerterLeavesTheChannelAndLinkOutWhenNotConfigured() throws Exception {
		this.server = new RecordingEndpoint();
		new SlackAlerter(this.server.url("/"), null, Duration.ofSeconds(5), null).send(ALERT);

		JsonNode message = this.json.readTree(this.server.requests().get(0).body());
		assertThat(message.has("channel")).isFalse();
		assertThat(message.get("text").asString()).doesNotContain("dashboard");
	}

	@Test
	void aUrlThatIsNotHttpIsRefusedAtOnce() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SlackAlerter("file:///etc/passwd", null, Duration.ofSeconds(1), null))
			.withMessageContaining("http or https");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WebhookAlerter("http://127.0.0.1/", "whsec_not base64!", Duration.ofSeconds(1),
					Duration.ofSeconds(1), null))
			.withMessageContaining("whsec_");
	}

}
