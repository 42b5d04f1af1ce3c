package dev.jobqueue.test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP server for tests that records every request and answers the scripted answers in turn, then
 * {@link #always(Answer) one answer} (200 unless set); an answer may hang until the server closes. Thread-safe.
 */
public final class RecordingEndpoint implements AutoCloseable {

	/** One request as received. */
	public record Request(String method, String path, Map<String, String> headers, byte[] body, long receivedNanos) {

		public String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

		public String header(String name) {
			return this.headers.get(name.toLowerCase());
		}

	}

	/** An answer: a status and headers, or no answer at all. */
	public record Answer(int status, Map<String, String> headers, boolean hang) {

		public static Answer status(int status) {
			return new Answer(status, Map.of(), false);
		}

		public static Answer status(int status, String header, String value) {
			return new Answer(status, Map.of(header, value), false);
		}

		public static Answer hangs() {
			return new Answer(0, Map.of(), true);
		}

	}

	private final HttpServer server;

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();

	private final CountDownLatch closed = new CountDownLatch(1);

	private volatile Answer otherwise = Answer.status(200);

	public RecordingEndpoint(Answer... answers) throws IOException {
		this.answers.addAll(List.of(answers));
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.setExecutor(Executors.newCachedThreadPool());
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (InputStream in = exchange.getRequestBody()) {
			Map<String, String> headers = new TreeMap<>();
			exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
			this.requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers,
					in.readAllBytes(), System.nanoTime()));
		}
		Answer answer = this.answers.poll();
		if (answer == null) {
			answer = this.otherwise;
		}
		if (answer.hang()) {
			try {
				this.closed.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
			return;
		}
		answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
		exchange.sendResponseHeaders(answer.status(), -1);
		exchange.close();
	}

	/** Answers every request after the scripted ones with {@code answer}. */
	public RecordingEndpoint always(Answer answer) {
		this.otherwise = answer;
		return this;
	}

	public String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	public List<Request> requests() {
		return this.requests;
	}

	@Override
	public void close() {
		this.closed.countDown();
		this.server.stop(0);
	}

}
