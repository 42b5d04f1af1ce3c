package dev.jobqueue.spring.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.web.HttpRequestHandler;

import dev.jobqueue.core.codec.PayloadBindingException;
import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.EnqueueResult;
import dev.jobqueue.core.queue.JobQueue;
import tools.jackson.databind.JsonNode;

/**
 * Turns signed POST requests on one path into jobs: the JSON object in the body becomes the
 * payload, selected headers the metadata, and the answer is 202 with the queue and the job's id.
 * The job's id is derived from the delivery id the signature covers, so a delivery sent again finds
 * its job (answer 200, nothing created) for as long as the queue keeps job ids; the queue's
 * idempotent enqueue is the only record of deliveries seen.
 * <p>
 * Bodies are read without holding a thread while bytes are awaited, into a buffer that grows with
 * the bytes received (never sized from {@code Content-Length}); at most {@code maxConcurrentReads}
 * bodies are read at once. Refusals create nothing: 405 not POST, 415 not JSON content, 413 body
 * over the limit, 503 too many bodies being read or Redis unreachable, 408 body not received within
 * the read timeout, 401 missing or bad signature or stale timestamp, 400 body not a JSON object or
 * without a delivery id. Thread-safe.
 */
public class JobWebhookHandler implements HttpRequestHandler {

	private static final Logger logger = LoggerFactory.getLogger(JobWebhookHandler.class);

	/** Delivery ids used as they are in job ids; any other is replaced by its digest. */
	private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._~:+=-]{1,128}");

	private static final int INITIAL_BUFFER = 512;

	private final String name;

	private final String jobType;

	private final JobQueue queue;

	private final WebhookSignatureVerifier verifier;

	private final long maxBodySize;

	private final Semaphore reads;

	private final int maxConcurrentReads;

	private final Duration readTimeout;

	private final List<String> copiedHeaders;

	private final PayloadCodec codec;

	private final Clock clock;

	public JobWebhookHandler(String name, String jobType, JobQueue queue, WebhookSignatureVerifier verifier,
			long maxBodySize, int maxConcurrentReads, Duration readTimeout, List<String> copiedHeaders,
			PayloadCodec codec, Clock clock) {
		if (maxConcurrentReads < 1) {
			throw new IllegalArgumentException("maxConcurrentReads must be at least 1");
		}
		this.name = name;
		this.jobType = jobType;
		this.queue = queue;
		this.verifier = verifier;
		this.maxBodySize = maxBodySize;
		this.maxConcurrentReads = maxConcurrentReads;
		this.reads = new Semaphore(maxConcurrentReads);
		this.readTimeout = readTimeout;
		this.copiedHeaders = List.copyOf(copiedHeaders);
		this.codec = codec;
		this.clock = clock;
	}

	/** How many request bodies are being read or handled right now. */
	public int bodiesInProgress() {
		return this.maxConcurrentReads - this.reads.availablePermits();
	}

	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!"POST".equals(request.getMethod())) {
			response.setHeader("Allow", "POST");
			answer(response, 405, Map.of("error", "Only POST is accepted"));
			return;
		}
		// Refusals before the body is read close the connection: the body will not be read.
		if (!isJson(request.getContentType())) {
			response.setHeader("Connection", "close");
			answer(response, 415, Map.of("error", "The body must be application/json"));
			return;
		}
		if (request.getContentLengthLong() > this.maxBodySize) {
			response.setHeader("Connection", "close");
			answer(response, 413, Map.of("error", "Body larger than " + this.maxBodySize + " bytes"));
			return;
		}
		if (!this.reads.tryAcquire()) {
			logger.debug("Webhook '{}' is reading {} bodies already: answering 503", this.name, this.maxConcurrentReads);
			response.setHeader("Connection", "close");
			response.setHeader("Retry-After", "1");
			answer(response, 503, Map.of("error", "Too many requests at once; retry later"));
			return;
		}
		try {
			new Delivery(request, response).start();
		}
		catch (RuntimeException | IOException ex) {
			this.reads.release();
			throw ex;
		}
	}

	private static boolean isJson(String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return MediaType.APPLICATION_JSON.includes(type) || "json".equals(type.getSubtypeSuffix())
					&& "application".equals(type.getType());
		}
		catch (InvalidMimeTypeException ex) {
			return false;
		}
	}

	/** Called once the whole body is in: verifies it and enqueues the job. */
	private void handle(HttpServletRequest request, HttpServletResponse response, byte[] body) throws IOException {
		WebhookVerification verification = this.verifier.verify(request::getHeader, body, this.clock.instant());
		if (!verification.accepted()) {
			logger.warn("Webhook '{}' refused a request from {}: {}", this.name, request.getRemoteAddr(), verification.reason());
			answer(response, 401, Map.of("error", "Invalid or missing signature"));
			return;
		}
		String json = new String(body, StandardCharsets.UTF_8);
		JsonNode payload;
		try {
			payload = json.isBlank() ? null : this.codec.readTree(json);
		}
		catch (PayloadBindingException ex) {
			payload = null;
		}
		if (payload == null || !payload.isObject()) {
			answer(response, 400, Map.of("error", "The body is not a JSON object"));
			return;
		}
		String deliveryId = (verification.deliveryId() != null) ? verification.deliveryId() : payload.path("id").asString(null);
		if (deliveryId == null || deliveryId.isBlank()) {
			answer(response, 400, Map.of("error", "The body has no event id"));
			return;
		}
		Job job = Job.ofJson(this.jobType, json)
			.withId(jobId(deliveryId))
			.withQueue(this.queue.name())
			.withMetadata(metadata(request, deliveryId));
		EnqueueResult result;
		try {
			result = this.queue.enqueue(job);
		}
		catch (RuntimeException ex) {
			logger.error("Webhook '{}' could not store delivery {}", this.name, deliveryId, ex);
			answer(response, 503, Map.of("error", "The job could not be stored; retry later"));
			return;
		}
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("queue", this.queue.name());
		answer.put("id", result.id());
		if (!result.created()) {
			answer.put("duplicate", true);
		}
		answer(response, result.created() ? 202 : 200, answer);
	}

	/** {@code webhook:<name>:<delivery id>}: the same delivery always makes the same job id. */
	String jobId(String deliveryId) {
		String id = PLAIN_ID.matcher(deliveryId).matches() ? deliveryId
				: "sha256-" + HexFormat.of().formatHex(WebhookSignatureVerifier.sha256(WebhookSignatureVerifier.utf8(deliveryId)));
		return "webhook:" + this.name + ":" + id;
	}

	private Map<String, String> metadata(HttpServletRequest request, String deliveryId) {
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put("webhook", this.name);
		metadata.put("delivery", deliveryId);
		for (String header : this.copiedHeaders) {
			String value = request.getHeader(header);
			if (value != null) {
				metadata.put(header, value);
			}
		}
		return metadata;
	}

	private void answer(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
		response.setStatus(status);
		response.setContentType("application/json");
		response.getOutputStream().write(this.codec.write(body).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * One request whose body is being read: the container calls back as bytes arrive, so no thread
	 * waits for a slow sender. Ends exactly once (answered, timed out or broken), which releases
	 * its read permit.
	 */
	private final class Delivery implements ReadListener, AsyncListener {

		private final HttpServletRequest request;

		private final HttpServletResponse response;

		private final ByteArrayOutputStream body = new ByteArrayOutputStream(INITIAL_BUFFER);

		private final byte[] chunk = new byte[INITIAL_BUFFER * 4];

		private final AtomicBoolean ended = new AtomicBoolean();

		private AsyncContext async;

		private ServletInputStream input;

		Delivery(HttpServletRequest request, HttpServletResponse response) {
			this.request = request;
			this.response = response;
		}

		void start() throws IOException {
			this.async = this.request.startAsync(this.request, this.response);
			this.async.setTimeout(Math.max(1, JobWebhookHandler.this.readTimeout.toMillis()));
			this.async.addListener(this);
			this.input = this.request.getInputStream();
			this.input.setReadListener(this);
		}

		@Override
		public void onDataAvailable() throws IOException {
			while (!this.ended.get() && this.input.isReady()) {
				int read = this.input.read(this.chunk);
				if (read == -1) {
					return;
				}
				if (this.body.size() + read > JobWebhookHandler.this.maxBodySize) {
					end(413, "Body larger than " + JobWebhookHandler.this.maxBodySize + " bytes");
					return;
				}
				this.body.write(this.chunk, 0, read);
			}
		}

		@Override
		public void onAllDataRead() throws IOException {
			if (!this.ended.compareAndSet(false, true)) {
				return;
			}
			try {
				handle(this.request, this.response, this.body.toByteArray());
			}
			finally {
				complete();
			}
		}

		@Override
		public void onError(Throwable failure) {
			if (this.ended.compareAndSet(false, true)) {
				logger.debug("Webhook '{}' lost a request while reading its body: {}", JobWebhookHandler.this.name,
						failure.toString());
				complete();
			}
		}

		@Override
		public void onTimeout(AsyncEvent event) throws IOException {
			end(408, "The body did not arrive within " + JobWebhookHandler.this.readTimeout);
		}

		@Override
		public void onError(AsyncEvent event) {
			onError(event.getThrowable());
		}

		@Override
		public void onComplete(AsyncEvent event) {
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

		/** Answers before the body is complete. */
		private void end(int status, String error) throws IOException {
			if (!this.ended.compareAndSet(false, true)) {
				return;
			}
			try {
				this.response.setHeader("Connection", "close");
				answer(this.response, status, Map.of("error", error));
			}
			finally {
				complete();
			}
		}

		private void complete() {
			JobWebhookHandler.this.reads.release();
			try {
				this.async.complete();
			}
			catch (IllegalStateException ex) {
				logger.debug("Webhook request already completed", ex);
			}
		}

	}

}
