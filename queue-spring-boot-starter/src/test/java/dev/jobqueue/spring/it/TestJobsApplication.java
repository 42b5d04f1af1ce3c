package dev.jobqueue.spring.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.spring.annotation.Backoff;
import dev.jobqueue.spring.annotation.JobHandler;

/** The application the end-to-end tests run: a few handlers that record what they see. */
@SpringBootApplication
public class TestJobsApplication {

	public record Email(String to, String subject) {
	}

	public record Receipt(String to, int attempt, String thread) {
	}

	@Component
	public static class Handlers {

		public final List<Email> emails = new CopyOnWriteArrayList<>();

		public final List<List<Email>> batches = new CopyOnWriteArrayList<>();

		public final CountDownLatch slowStarted = new CountDownLatch(1);

		public final CountDownLatch slowRelease = new CountDownLatch(1);

		public final List<String> slowFinished = new CopyOnWriteArrayList<>();

		@JobHandler(value = "send_email", queue = "emails")
		public Receipt send(Email email, JobContext context) {
			this.emails.add(email);
			return new Receipt(email.to(), context.attempt(), Thread.currentThread().getName());
		}

		@JobHandler(value = "always_fails", maxRetries = "${test.fail-retries:1}",
				backoff = @Backoff(kind = Backoff.Kind.FIXED, delay = "100ms"))
		public void fail(Map<String, Object> payload) {
			throw new IllegalStateException("boom: " + payload.get("n"));
		}

		@JobHandler("count_batch")
		public int count(List<Email> batch) {
			this.batches.add(batch);
			return batch.size();
		}

		@JobHandler("slow")
		public void slow(String name) throws InterruptedException {
			this.slowStarted.countDown();
			if (!this.slowRelease.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("never released");
			}
			this.slowFinished.add(name);
		}

	}

}
