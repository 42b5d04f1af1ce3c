package dev.jobqueue.spring.web;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a webhook request's signature exactly as its sender's documentation describes it: an
 * HMAC-SHA256 over the raw body bytes (and the timestamp, where the scheme signs one), compared in
 * constant time; timestamps outside the tolerance, in either direction, are refused. Thread-safe.
 */
public sealed interface WebhookSignatureVerifier
		permits StandardWebhooksVerifier, StripeSignatureVerifier, GitHubSignatureVerifier {

	/**
	 * @param headers the request's headers, by name (case-insensitive)
	 * @param body the raw body
	 * @param now the current time
	 * @return accepted with the delivery id the signature covers, or refused with the reason
	 */
	WebhookVerification verify(Function<String, String> headers, byte[] body, Instant now);

	/**
	 * Whether a signed timestamp (epoch seconds) is within {@code tolerance} of now, before or after,
	 * measured in milliseconds: a timestamp 300.9 s old is outside a 300 s tolerance.
	 */
	static boolean withinTolerance(long epochSeconds, Instant now, Duration tolerance) {
		long age;
		try {
			age = Math.subtractExact(now.toEpochMilli(), Math.multiplyExact(epochSeconds, 1000L));
		}
		catch (ArithmeticException ex) {
			return false;
		}
		long limit = tolerance.toMillis();
		return age >= -limit && age <= limit;
	}

	/** A signed timestamp: decimal digits only (no sign, no spaces), or {@code null}. */
	static Long epochSeconds(String value) {
		if (value == null || value.isEmpty() || value.length() > 18) {
			return null;
		}
		for (int i = 0; i < value.length(); i++) {
			if (value.charAt(i) < '0' || value.charAt(i) > '9') {
				return null;
			}
		}
		return Long.parseLong(value);
	}

	static byte[] hmacSha256(byte[] key, byte[]... parts) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			for (byte[] part : parts) {
				mac.update(part);
			}
			return mac.doFinal();
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/** Constant-time comparison, so that timing does not reveal how much of a signature matched. */
	static boolean matches(byte[] expected, byte[] actual) {
		return actual != null && MessageDigest.isEqual(expected, actual);
	}

	static byte[] sha256(byte[] value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
