package dev.jobqueue.core.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class AlertDispatcherTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private final List<AlertDispatcher> dispatchers = new ArrayList<>();

	@BeforeEach
	void flush() {
		redis.server().flushAll();
	}

	@AfterEach
	void close() {
		this.dispatchers.forEach(AlertDispatcher::close);
	}

	private AlertDispatcher node(AlertSettings settings, Alerter... alerters) {
		AlertDispatcher dispatcher = new AlertDispatcher(redis.server().client(), "jq", List.of(alerters), settings);
		this.dispatchers.add(dispatcher);
		return dispatcher;
	}

	private static DeadLetterAlert alert(String type, int n) {
		return new DeadLetterAlert("job-" + type + "-" + n, type, "default", "boom " + n, 4,
				Instant.ofEpochMilli(1_800_000_000_000L + n));
	}

	@Test
	void aThousandDeadLettersInOneWindowGiveTheFirstNAlertsAndOneSummaryFromOneOfTwoNodes() {
		Duration window = Duration.ofSeconds(8);
		RecordingAlerter webhook = new RecordingAlerter("webhook", 0);
		AlertSettings settings = AlertSettings.defaults().withFlood(window, 5);
		AlertDispatcher one = node(settings, webhook).start();
		AlertDispatcher two = node(settings, webhook).start();
		// Start early in a window (Redis's clock) so that all thousand fall into it, even on a loaded machine.
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
			.until(() -> redis.server().timeMillis() % window.toMillis() < 1000);

		CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < 500; i++) {
				one.deadLettered(alert("charge_card", i));
			}
		});
		for (int i = 500; i < 1000; i++) {
			two.deadLettered(alert("charge_card", i));
		}
		for (int i = 0; i < 3; i++) {
			two.deadLettered(alert("send_email", i));
		}
		first.join();

		assertThat(webhook.alertsOf("charge_card")).hasSize(5);
		assertThat(webhook.alertsOf("send_email")).hasSize(3);
		await().atMost(window.multipliedBy(3)).until(() -> !webhook.summaries.isEmpty());
		assertThat(one.flushSummaries()).isEmpty();
		assertThat(two.flushSummaries()).isEmpty();
		assertThat(webhook.summaries).singleElement().satisfies((summary) -> {
			assertThat(summary.jobType()).isEqualTo("charge_card");
			assertThat(summary.heldBack()).isEqualTo(995);
			assertThat(summary.window()).isEqualTo(window);
			assertThat(summary.latestError()).startsWith("boom ");
			assertThat(AlertText.subject(summary)).isEqualTo("995 more charge_card jobs dead-lettered in the last 8 s");
		});
	}

	@Test
	void aFailingAlerterIsRetriedWithBackOffUntilItTakesTheAlert() {
		RecordingAlerter flaky = new RecordingAlerter("flaky", 2);
		node(AlertSettings.defaults().withRetries(3, Duration.ofMillis(10)), flaky).deadLettered(alert("sync", 1));

		assertThat(flaky.calls).hasValue(3);
		assertThat(flaky.alerts).containsExactly(alert("sync", 1));
	}

	@Test
	void aRedeliveredAlertReachesOnlyTheAlertersThatMissedItAndKeepsItsFloodDecision() {
		RecordingAlerter log = new RecordingAlerter("log", 0);
		RecordingAlerter down = new RecordingAlerter("slack", 2);
		AlertSettings settings = AlertSettings.defaults().withFlood(Duration.ofMinutes(5), 1)
			.withRetries(2, Duration.ofMillis(10));

		assertThatExceptionOfType(AlertDeliveryException.class)
			.isThrownBy(() -> node(settings, log, down).deadLettered(alert("sync", 1)))
			.satisfies((ex) -> assertThat(ex.failedAlerters()).containsExactly("slack"));
		// Redelivered to another JVM; the window's one alert is already used, yet this alert is the one it went to.
		node(settings, log, down).deadLettered(alert("sync", 1));

		assertThat(log.alerts).containsExactly(alert("sync", 1));
		assertThat(down.alerts).containsExactly(alert("sync", 1));
		node(settings, log, down).deadLettered(alert("sync", 2));
		assertThat(log.alerts).hasSize(1);
	}

	@Test
	void aRedeliveredAlertTriesTheAlertersThatMissedItOnceWithoutBackOff() {
		RecordingAlerter down = new RecordingAlerter("slack", Integer.MAX_VALUE);
		AlertSettings settings = AlertSettings.defaults().withRetries(3, Duration.ofMillis(10));

		assertThatExceptionOfType(AlertDeliveryException.class)
			.isThrownBy(() -> node(settings, down).deadLettered(alert("sync", 1)));
		assertThat(down.calls).hasValue(3);
		// The stream redelivers it every claimAfter: that is the slow retry. Backing off again on every redelivery
		// held the relay's only thread for each pending alert of a broken alerter, ahead of every new dead letter.
		assertThatExceptionOfType(AlertDeliveryException.class)
			.isThrownBy(() -> node(settings, down).deadLettered(alert("sync", 1)));
		assertThat(down.calls).hasValue(4);
	}

}
