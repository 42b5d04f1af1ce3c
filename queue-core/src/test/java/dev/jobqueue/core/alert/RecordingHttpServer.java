package dev.jobqueue.core.alert;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A loopback HTTP server that records every request and answers with a chosen status, or hangs until closed. */
final class RecordingHttpServer implements AutoCloseable {

	record Request(String method, String path, Map<String, String> headers, byte[] body) {

		String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

		String header(String name) {
			return this.headers.get(name.toLowerCase());
		}

	}

	private final HttpServer server;

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final CountDownLatch closed = new CountDownLatch(1);

	private volatile int status = 200;

	private final AtomicInteger failFirst = new AtomicInteger();

	private volatile boolean hang;

	RecordingHttpServer() throws IOException {
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
					in.readAllBytes()));
		}
		if (this.hang) {
			try {
				this.closed.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		int answer = (this.failFirst.getAndDecrement() > 0) ? 500 : this.status;
		exchange.sendResponseHeaders(answer, -1);
		exchange.close();
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	List<Request> requests() {
		return this.requests;
	}

	RecordingHttpServer answer(int status) {
		this.status = status;
		return this;
	}

	/** Answers 500 to the next {@code count} requests. */
	RecordingHttpServer failFirst(int count) {
		this.failFirst.set(count);
		return this;
	}

	/** Reads each request, then never answers. */
	RecordingHttpServer hang() {
		this.hang = true;
		return this;
	}

	@Override
	public void close() {
		this.closed.countDown();
		this.server.stop(0);
	}

}
