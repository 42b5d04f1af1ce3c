package dev.jobqueue.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.validation.Errors;

/**
 * The checks {@link JobQueueProperties} runs on itself when bound: every error names the property and says
 * what would be accepted, and Boot reports them all at once as "APPLICATION FAILED TO START". Self-validation
 * needs no Bean Validation provider on the application's class path.
 */
final class JobQueuePropertiesValidation {

	private JobQueuePropertiesValidation() {
	}

	static void validate(JobQueueProperties properties, Errors errors) {
		if (properties.getKeyPrefix() == null || properties.getKeyPrefix().isBlank()) {
			errors.rejectValue("keyPrefix", "blank", "jobqueue.key-prefix must not be blank");
		}
		properties.getQueues().forEach((name, queue) -> {
			String path = "queues[" + name + "]";
			atLeast(errors, path + ".concurrency", "jobqueue.queues." + name + ".concurrency", queue.getConcurrency(), 1);
			atLeast(errors, path + ".shards", "jobqueue.queues." + name + ".shards", queue.getShards(), 1);
			positive(errors, path + ".leaseDuration", "jobqueue.queues." + name + ".lease-duration",
					queue.getLeaseDuration());
		});
		Set<String> queues = properties.effectiveQueues().keySet();
		Set<String> pooled = new LinkedHashSet<>();
		properties.getWorker().getPools().forEach((name, pool) -> {
			String path = "worker.pools[" + name + "]";
			String property = "jobqueue.worker.pools." + name;
			atLeast(errors, path + ".concurrency", property + ".concurrency", pool.getConcurrency(), 1);
			if (queues.contains(name) && !pool.getQueues().contains(name)) {
				// A pool and a queue share the name of the worker that runs them: the pool would replace the queue's
				// own worker, and nothing would read the queue.
				errors.rejectValue(path, "queue-name", property + " is named like the queue jobqueue.queues." + name
						+ ", which it does not read: no worker would read that queue. Rename the pool, or list "
						+ name + " in its queues");
			}
			if (pool.getQueues().isEmpty()) {
				errors.rejectValue(path + ".queues", "empty", property + ".queues names no queue: list the queues "
						+ "this pool reads, in priority order");
			}
			for (String queue : pool.getQueues()) {
				if (!queues.contains(queue)) {
					errors.rejectValue(path + ".queues", "unknown", property + ".queues names '" + queue
							+ "', which is not configured (configured: " + queues + "): add jobqueue.queues." + queue);
				}
				else if (!pooled.add(queue)) {
					errors.rejectValue(path + ".queues", "twice", property + ".queues names '" + queue
							+ "', which another pool reads already: a queue belongs to one pool");
				}
			}
		});
		JobQueueProperties.Jobs jobs = properties.getJobs();
		atLeast(errors, "jobs.maxRetries", "jobqueue.jobs.max-retries", jobs.getMaxRetries(), 0);
		atLeast(errors, "jobs.maxStalls", "jobqueue.jobs.max-stalls", jobs.getMaxStalls(), 0);
		positive(errors, "jobs.timeout", "jobqueue.jobs.timeout", jobs.getTimeout());
		positive(errors, "jobs.leaseDuration", "jobqueue.jobs.lease-duration", jobs.getLeaseDuration());
		notNegative(errors, "jobs.idempotencyWindow", "jobqueue.jobs.idempotency-window", jobs.getIdempotencyWindow());
		notNegative(errors, "jobs.unknownTypeGrace", "jobqueue.jobs.unknown-type-grace", jobs.getUnknownTypeGrace());
		if (jobs.getMaxPayloadSize() == null || jobs.getMaxPayloadSize().toBytes() <= 0) {
			errors.rejectValue("jobs.maxPayloadSize", "positive", "jobqueue.jobs.max-payload-size must be more than 0 bytes");
		}
		notNegative(errors, "worker.shutdownTimeout", "jobqueue.worker.shutdown-timeout",
				properties.getWorker().getShutdownTimeout());
	}

	private static void atLeast(Errors errors, String path, String property, int value, int min) {
		if (value < min) {
			errors.rejectValue(path, "min", property + " must be at least " + min + ", not " + value);
		}
	}

	private static void positive(Errors errors, String path, String property, Duration value) {
		if (value != null && (value.isZero() || value.isNegative())) {
			errors.rejectValue(path, "positive", property + " must be longer than 0, not " + value);
		}
	}

	private static void notNegative(Errors errors, String path, String property, Duration value) {
		if (value == null || value.isNegative()) {
			errors.rejectValue(path, "negative", property + " must be 0 or longer, not " + value);
		}
	}

}
