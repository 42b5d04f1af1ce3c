package dev.jobqueue.spring.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;

/**
 * A job as JSON views show it (the actuator endpoint, applications' own endpoints): its result as a JSON value,
 * not a string holding JSON; the last failure as {@code error} while it is the job's current trouble, as
 * {@code earlierError} once a later attempt completed; with its stack trace. Stateless.
 */
public final class JobView {

	private JobView() {
	}

	/** The result of a completed job as a JSON value, or {@code null}; stored text that is not JSON stays text. */
	public static Object result(JobInfo info) {
		if (info.result() == null) {
			return null;
		}
		try {
			// Only parsed, never bound: the application's mapper settings do not matter here.
			return PayloadCodec.defaults().readTree(info.result());
		}
		catch (RuntimeException ex) {
			return info.result();
		}
	}

	/** The last failure, keyed {@code error} or {@code earlierError}: message, type, worker and stack trace. */
	public static Map<String, Object> error(JobInfo info) {
		JobError error = info.lastError();
		if (error == null) {
			return Map.of();
		}
		Map<String, Object> described = new LinkedHashMap<>();
		described.put("message", error.message());
		putIfPresent(described, "type", error.exceptionType());
		putIfPresent(described, "worker", error.workerId());
		putIfPresent(described, "stackTrace", error.stackTrace());
		return Map.of(isEarlier(info) ? "earlierError" : "error", described);
	}

	/** A completed (or skipped) job's stored failure is that of an attempt before the one that succeeded. */
	public static boolean isEarlier(JobInfo info) {
		return info.state() == JobState.COMPLETED || info.state() == JobState.SKIPPED;
	}

	private static void putIfPresent(Map<String, Object> map, String key, Object value) {
		if (value != null) {
			map.put(key, value);
		}
	}

}
