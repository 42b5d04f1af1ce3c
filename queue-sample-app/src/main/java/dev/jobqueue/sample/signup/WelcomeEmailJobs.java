package dev.jobqueue.sample.signup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.spring.annotation.Backoff;
import dev.jobqueue.spring.annotation.JobHandler;

/** Sends welcome e-mails (here: logs them). A mail server that is down makes the job retry. */
@Component
class WelcomeEmailJobs {

	private static final Logger logger = LoggerFactory.getLogger(WelcomeEmailJobs.class);

	record Sent(String to, int attempt) {
	}

	@JobHandler(value = "send_welcome_email", queue = "emails", maxRetries = "5",
			backoff = @Backoff(kind = Backoff.Kind.EXPONENTIAL, delay = "2s", maxDelay = "5m"))
	Sent send(WelcomeEmail email, JobContext context) {
		logger.info("Welcome e-mail to {} <{}> (job {}, attempt {})", email.name(), email.to(), context.jobId(),
				context.attempt());
		return new Sent(email.to(), context.attempt());
	}

}
