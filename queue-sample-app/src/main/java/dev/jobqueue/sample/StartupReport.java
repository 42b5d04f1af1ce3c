package dev.jobqueue.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Says in the log where the sample's endpoints, actuator and Redis are. */
@Component
class StartupReport {

	private static final Logger logger = LoggerFactory.getLogger(StartupReport.class);

	@EventListener
	void ready(ApplicationReadyEvent event) {
		Environment environment = event.getApplicationContext().getEnvironment();
		String base = "http://localhost:" + environment.getProperty("local.server.port", "8080");
		String redis = environment.getProperty("spring.data.redis.host", "localhost") + ":"
				+ environment.getProperty("spring.data.redis.port", "6379")
				+ (environment.getProperty("sample.local-redis.started", Boolean.class, false)
						? " (a local redis-server started for this run)" : "");
		logger.info("""

				  jobqueue sample is ready, Redis at {}
				    sign up (welcome e-mail job):   curl -X POST {}/signup -H 'Content-Type: application/json' -d '{"email":"ada@example.com","name":"Ada"}'
				    thumbnail (job with progress):  curl -X POST {}/images/cat.png/thumbnail
				    nightly report (delayed job):   curl -X POST '{}/reports/nightly?inSeconds=30'
				    a failing job (retries, DLQ):   curl -X POST {}/flaky
				    job status:                     curl {}/jobs/<queue>/<id>
				    payment webhook (Stripe-signed, secret in application.yml): POST {}/webhooks/payments
				    actuator: {}/actuator/health  {}/actuator/prometheus  {}/actuator/jobqueue
				    dashboard: {}{}
				""", redis, base, base, base, base, base, base, base, base, base, base,
				environment.getProperty("jobqueue.dashboard.path", "/jobqueue"));
	}

}
