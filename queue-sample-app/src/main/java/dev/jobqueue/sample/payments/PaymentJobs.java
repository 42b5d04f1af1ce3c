package dev.jobqueue.sample.payments;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.worker.NonRetryableJobException;
import dev.jobqueue.spring.annotation.JobHandler;

/**
 * Payment-provider events, arriving through the signed webhook {@code /webhooks/payments}
 * (see application.yml). Events of unknown kinds cannot succeed later: they go straight to the
 * dead-letter queue.
 */
@Component
class PaymentJobs {

	private static final Logger logger = LoggerFactory.getLogger(PaymentJobs.class);

	@JobHandler(value = "payment_event", queue = "payments")
	String handle(Map<String, Object> event, JobContext context) {
		Object type = event.get("type");
		if (type == null) {
			throw new NonRetryableJobException("Payment event " + event.get("id") + " has no type");
		}
		logger.info("Payment event {} of type {} (delivery {})", event.get("id"), type, context.metadata().get("delivery"));
		return "handled " + type;
	}

}
