package dev.jobqueue.spring.builtin;

import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.worker.NonRetryableJobException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The webhook job type against hostile endpoints and payloads, on a loopback server (no Redis needed). */
class WebhookJobHandlerTests {

	private final CountDownLatch stop = new CountDownLatch(1);

	private HttpServer server;

	private final WebhookJobHandler handler = new WebhookJobHandler(Duration.ofSeconds(5), Duration.ofSeconds(5), null,
			PayloadCodec.defaults());

	@BeforeEach
	void startServer() throws Exception {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setExecutor(Executors.newCachedThreadPool());
		// Answers 200 at once, then trickles a body that never ends: a byte every 100 ms until the test is over.
		this.server.createContext("/trickle", (exchange) -> {
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream body = exchange.getResponseBody()) {
				body.flush();
				while (!this.stop.await(100, TimeUnit.MILLISECONDS)) {
					body.write('x');
					body.flush();
				}
			}
			catch (Exception ex) {
				// The client went away.
			}
		});
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.stop.countDown();
		this.server.stop(0);
	}

	@Test
	void anEndpointThatAnswersAndThenTricklesItsBodyForeverStillCompletesTheJob() {
		WebhookRequest request = new WebhookRequest(
				"http://127.0.0.1:" + this.server.getAddress().getPort() + "/trickle", "POST", Map.of(), null);
		WebhookResult result = assertTimeoutPreemptively(Duration.ofSeconds(30),
				() -> this.handler.deliver(request, context("job-1")));
		assertThat(result.status()).isEqualTo(200);
	}

	@Test
	void aHeaderValueWithALineBreakIsRefusedWithoutTheValueInTheError() {
		WebhookRequest request = new WebhookRequest("http://127.0.0.1:" + this.server.getAddress().getPort() + "/x",
				"POST", Map.of("Authorization", "Bearer s3cr3t-token\r\nX-Injected: 1"), null);
		assertThatThrownBy(() -> this.handler.deliver(request, context("job-2")))
			.isInstanceOf(NonRetryableJobException.class)
			.hasMessageContaining("Authorization")
			.satisfies((ex) -> assertThat(ex.toString()).doesNotContain("s3cr3t"));
	}

	@Test
	void aFailedDeliveryNamesTheEndpointWithoutItsPathOrQueryWhichMayHoldAToken() {
		String base = "http://127.0.0.1:" + this.server.getAddress().getPort();
		WebhookRequest answered404 = new WebhookRequest(base + "/services/T0/B0/s3cr3t?token=s3cr3t", "POST", Map.of(),
				null);
		assertThatThrownBy(() -> this.handler.deliver(answered404, context("job-3")))
			.isInstanceOf(NonRetryableJobException.class)
			.hasMessageContaining("answered 404")
			.hasMessageContaining(base)
			.satisfies((ex) -> assertThat(ex.toString()).doesNotContain("s3cr3t"));
		WebhookRequest notAUrl = new WebhookRequest(base + "/services/s3cr3t token", "POST", Map.of(), null);
		assertThatThrownBy(() -> this.handler.deliver(notAUrl, context("job-4")))
			.isInstanceOf(NonRetryableJobException.class)
			.hasMessageContaining("not a URL")
			.satisfies((ex) -> assertThat(ex.toString()).doesNotContain("s3cr3t"));
	}

	private static JobContext context(String id) {
		return (JobContext) Proxy.newProxyInstance(JobContext.class.getClassLoader(), new Class<?>[] { JobContext.class },
				(proxy, method, args) -> switch (method.getName()) {
					case "jobId" -> id;
					case "type" -> "jobqueue.webhook";
					case "queue" -> "default";
					case "attempt" -> 1;
					case "toString" -> "context of " + id;
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

}
