package dev.jobqueue.core.worker;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** The handlers of one worker, by job type. Thread-safe. */
final class JobHandlers {

	/**
	 * A handler and what it needs: the payload type to bind to (or {@code null} for a handler that
	 * takes the whole job and binds its payload itself) and its own settings.
	 */
	record Registered(String type, Class<?> payloadType, JobFunction<Object, ?> function, HandlerOptions options) {

		boolean takesJob() {
			return this.payloadType == null;
		}

	}

	private final Map<String, Registered> byType = new ConcurrentHashMap<>();

	<T> void add(String type, Class<T> payloadType, JobFunction<T, ?> function, HandlerOptions options) {
		register(type, Objects.requireNonNull(payloadType, "payloadType"), function, options);
	}

	void addJobFunction(String type, JobFunction<dev.jobqueue.core.job.Job, ?> function, HandlerOptions options) {
		register(type, null, function, options);
	}

	@SuppressWarnings("unchecked")
	private void register(String type, Class<?> payloadType, JobFunction<?, ?> function, HandlerOptions options) {
		if (type == null || type.isBlank()) {
			throw new IllegalArgumentException("A job type must not be empty");
		}
		Registered registered = new Registered(type, payloadType,
				(JobFunction<Object, ?>) Objects.requireNonNull(function, "handler"), Objects.requireNonNull(options, "options"));
		if (this.byType.putIfAbsent(type, registered) != null) {
			throw new IllegalStateException("A handler for job type '" + type + "' is already registered");
		}
	}

	<T> void add(String type, Class<T> payloadType, JobProcessor<T> processor, HandlerOptions options) {
		Objects.requireNonNull(processor, "processor");
		add(type, payloadType, (JobFunction<T, Object>) (payload, context) -> {
			processor.process(payload, context);
			return null;
		}, options);
	}

	Registered get(String type) {
		return this.byType.get(type);
	}

	Set<String> types() {
		return new TreeSet<>(this.byType.keySet());
	}

}
