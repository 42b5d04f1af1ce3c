package dev.jobqueue.spring.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.HttpRequestHandler;
import redis.clients.jedis.params.SetParams;

import dev.jobqueue.core.codec.PayloadBindingException;
import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.queue.RedisJobQueue;
import tools.jackson.databind.JsonNode;

/**
 * Turns signed POST requests on one path into jobs: the JSON body becomes the payload, selected
 * headers the metadata, and the answer is 202 with the job's id. A delivery id seen within the
 * tolerance window answers 200 with the first job's id and creates nothing. Refusals create
 * nothing: 405 not POST, 413 body over the limit (checked while reading), 401 missing or bad
 * signature or stale timestamp, 400 body not JSON, 503 Redis unreachable.
 */
public class JobWebhookHandler implements HttpRequestHandler {

	private static final Logger logger = LoggerFactory.getLogger(JobWebhookHandler.class);

	private final String name;

	private final String jobType;

	private final RedisJobQueue queue;

	private final WebhookSignatureVerifier verifier;

	private final long maxBodySize;

	private final Duration tolerance;

	private final List<String> copiedHeaders;

	private final PayloadCodec codec;

	private final Clock clock;

	public JobWebhookHandler(String name, String jobType, RedisJobQueue queue, WebhookSignatureVerifier verifier,
			long maxBodySize, Duration tolerance, List<String> copiedHeaders, PayloadCodec codec, Clock clock) {
		this.name = name;
		this.jobType = jobType;
		this.queue = queue;
		this.verifier = verifier;
		this.maxBodySize = maxBodySize;
		this.tolerance = tolerance;
		this.copiedHeaders = List.copyOf(copiedHeaders);
		this.codec = codec;
		this.clock = clock;
	}

	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!"POST".equals(request.getMethod())) {
			response.setHeader("Allow", "POST");
			answer(response, 405, Map.of("error", "Only POST is accepted"));
			return;
		}
		byte[] body = readBounded(request);
		if (body == null) {
			answer(response, 413, Map.of("error", "Body larger than " + this.maxBodySize + " bytes"));
			return;
		}
		WebhookVerification verification = this.verifier.verify(request::getHeader, body, this.clock.instant());
		if (!verification.accepted()) {
			logger.warn("Webhook '{}' refused a request from {}: {}", this.name, request.getRemoteAddr(), verification.reason());
			answer(response, 401, Map.of("error", "Invalid or missing signature"));
			return;
		}
		String json = new String(body, StandardCharsets.UTF_8);
		JsonNode payload;
		try {
			payload = this.codec.readTree(json);
		}
		catch (PayloadBindingException ex) {
			answer(response, 400, Map.of("error", "The body is not JSON"));
			return;
		}
		String deliveryId = (verification.deliveryId() != null) ? verification.deliveryId()
				: payload.path("id").asString(null);
		try {
			accept(request, response, json, deliveryId);
		}
		catch (RuntimeException ex) {
			logger.error("Webhook '{}' could not store delivery {}", this.name, deliveryId, ex);
			answer(response, 503, Map.of("error", "The job could not be stored; retry later"));
		}
	}

	private void accept(HttpServletRequest request, HttpServletResponse response, String json, String deliveryId)
			throws IOException {
		Job job = Job.ofJson(this.jobType, json).withQueue(this.queue.name()).withMetadata(metadata(request, deliveryId));
		String deliveryKey = (deliveryId != null) ? deliveryKey(deliveryId) : null;
		if (deliveryKey != null) {
			String claimed = this.queue.redis().set(deliveryKey, job.id(),
					SetParams.setParams().nx().px(Math.max(1, this.tolerance.toMillis())));
			if (claimed == null) {
				String first = this.queue.redis().get(deliveryKey);
				answer(response, 200, Map.of("id", (first != null) ? first : "", "duplicate", true));
				return;
			}
		}
		try {
			this.queue.enqueue(job);
		}
		catch (RuntimeException ex) {
			if (deliveryKey != null) {
				// The sender will retry this delivery: it must not be taken for a replay.
				this.queue.redis().del(deliveryKey);
			}
			throw ex;
		}
		answer(response, 202, Map.of("id", job.id()));
	}

	private Map<String, String> metadata(HttpServletRequest request, String deliveryId) {
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put("webhook", this.name);
		if (deliveryId != null) {
			metadata.put("delivery", deliveryId);
		}
		for (String header : this.copiedHeaders) {
			String value = request.getHeader(header);
			if (value != null) {
				metadata.put(header, value);
			}
		}
		return metadata;
	}

	private String deliveryKey(String deliveryId) {
		return this.queue.options().keyPrefix() + ":{webhook:" + this.name + "}:delivery:" + deliveryId;
	}

	/** The body, or {@code null} once it is larger than the limit: never more than the limit is buffered. */
	private byte[] readBounded(HttpServletRequest request) throws IOException {
		long declared = request.getContentLengthLong();
		if (declared > this.maxBodySize) {
			return null;
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream((declared > 0) ? (int) declared : 1024);
		byte[] buffer = new byte[8192];
		try (InputStream in = request.getInputStream()) {
			int read;
			while ((read = in.read(buffer)) != -1) {
				if (out.size() + read > this.maxBodySize) {
					return null;
				}
				out.write(buffer, 0, read);
			}
		}
		return out.toByteArray();
	}

	private void answer(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
		response.setStatus(status);
		response.setContentType("application/json");
		response.getOutputStream().write(this.codec.write(body).getBytes(StandardCharsets.UTF_8));
	}

}
