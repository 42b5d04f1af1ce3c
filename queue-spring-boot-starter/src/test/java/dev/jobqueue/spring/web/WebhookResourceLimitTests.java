package dev.jobqueue.spring.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

import dev.jobqueue.spring.it.TestJobsApplication;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What unauthenticated senders can hold on the server, over raw sockets: connections that declare
 * large bodies and send one byte hold memory for that byte, not for the declared length; bodies
 * read at once are bounded (the next sender gets 503); a sender that stops sending gets 408 and its
 * slot back.
 */
@SpringBootTest(classes = TestJobsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "jobqueue.worker.enabled=false",
				"jobqueue.webhooks.bulk.path=/webhooks/bulk", "jobqueue.webhooks.bulk.job-type=bulk_event",
				"jobqueue.webhooks.bulk.secret=" + WebhookResourceLimitTests.SECRET,
				"jobqueue.webhooks.bulk.max-body-size=4MB", "jobqueue.webhooks.bulk.max-concurrent-reads=40",
				"jobqueue.webhooks.bulk.read-timeout=2m",
				"jobqueue.webhooks.slow.path=/webhooks/slow", "jobqueue.webhooks.slow.job-type=slow_event",
				"jobqueue.webhooks.slow.secret=" + WebhookResourceLimitTests.SECRET,
				"jobqueue.webhooks.slow.max-concurrent-reads=4", "jobqueue.webhooks.slow.read-timeout=2s" })
@DirtiesContext
class WebhookResourceLimitTests {

	static final String SECRET = "whsec_c3RhbmRhcmQtd2ViaG9vay1zZWNyZXQta2V5";

	private static final int DECLARED = 4 * 1024 * 1024;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", () -> LocalRedisServer.shared().port());
		registry.add("jobqueue.key-prefix", () -> "webhook-limits");
	}

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("jobQueueWebhookHandlerMapping")
	SimpleUrlHandlerMapping webhooks;

	@Test
	void idleSendersHoldMemoryForTheBytesTheySentNotForTheLengthTheyDeclared() throws Exception {
		JobWebhookHandler bulk = handler("/webhooks/bulk");
		List<Socket> senders = new ArrayList<>();
		try {
			long before = usedHeapAfterGc();
			for (int i = 0; i < 40; i++) {
				senders.add(startBody("/webhooks/bulk", DECLARED));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> bulk.bodiesInProgress() == 40);
			long held = usedHeapAfterGc() - before;
			System.out.printf("40 senders declaring %d MiB each, one byte sent: %d KiB more heap in use%n",
					DECLARED >> 20, held >> 10);

			// Pre-sizing buffers from Content-Length would hold 160 MiB here.
			assertThat(held).isLessThan(40L * DECLARED / 8);
			try (Socket oneTooMany = startBody("/webhooks/bulk", DECLARED)) {
				assertThat(statusLine(oneTooMany)).startsWith("HTTP/1.1 503");
			}
		}
		finally {
			for (Socket sender : senders) {
				sender.close();
			}
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> bulk.bodiesInProgress() == 0);
		assertThat(sendSigned("/webhooks/bulk").statusCode()).isEqualTo(202);
	}

	@Test
	void aSenderThatStopsSendingIsAnswered408AndGivesItsSlotBack() throws Exception {
		JobWebhookHandler slow = handler("/webhooks/slow");
		List<Socket> stalled = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				stalled.add(startBody("/webhooks/slow", 100));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> slow.bodiesInProgress() == 4);
			try (Socket fifth = startBody("/webhooks/slow", 100)) {
				assertThat(statusLine(fifth)).startsWith("HTTP/1.1 503");
			}
			for (Socket socket : stalled) {
				assertThat(statusLine(socket)).startsWith("HTTP/1.1 408");
			}
		}
		finally {
			for (Socket socket : stalled) {
				socket.close();
			}
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> slow.bodiesInProgress() == 0);
		assertThat(sendSigned("/webhooks/slow").statusCode()).isEqualTo(202);
	}

	@Test
	void aDeclaredLengthOverTheLimitIsRefusedBeforeAnyByteIsRead() throws Exception {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(30_000);
			socket.getOutputStream().write(headers("/webhooks/bulk", DECLARED + 1));
			assertThat(statusLine(socket)).startsWith("HTTP/1.1 413");
		}
	}

	private JobWebhookHandler handler(String path) {
		return (JobWebhookHandler) this.webhooks.getUrlMap().get(path);
	}

	/** Sends the headers and the first byte of a body, then nothing more. */
	private Socket startBody(String path, int declaredLength) throws IOException {
		Socket socket = new Socket("localhost", this.port);
		socket.setSoTimeout(30_000);
		OutputStream out = socket.getOutputStream();
		out.write(headers(path, declaredLength));
		out.write('{');
		out.flush();
		return socket;
	}

	private static byte[] headers(String path, int declaredLength) {
		return ("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
				+ declaredLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
	}

	private static String statusLine(Socket socket) throws IOException {
		return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
	}

	private HttpResponse<String> sendSigned(String path) throws Exception {
		String body = "{\"n\":1}";
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		WebhookSenders.standard(SECRET, "msg_" + UUID.randomUUID(), Instant.now().getEpochSecond(), body)
			.forEach(request::header);
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static long usedHeapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			memory.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

}
