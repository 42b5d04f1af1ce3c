package dev.jobqueue.spring.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.spring.annotation.JobHandler;

/** The application the test kit's own tests run. */
@SpringBootApplication
class KitTestApplication {

	record Order(String id, int amount) {
	}

	record Invoice(String order, int total) {
	}

	static class PaymentDeclined extends Exception {

		PaymentDeclined(String message) {
			super(message);
		}

	}

	@Component
	static class Handlers {

		final List<Order> invoiced = new CopyOnWriteArrayList<>();

		final List<String> shipped = new CopyOnWriteArrayList<>();

		final List<String> notified = new CopyOnWriteArrayList<>();

		@JobHandler(value = "invoice", queue = "billing")
		Invoice invoice(Order order) {
			this.invoiced.add(order);
			return new Invoice(order.id(), order.amount() * 2);
		}

		@JobHandler(value = "charge", queue = "billing", maxRetries = "0")
		void charge(Order order) throws PaymentDeclined {
			throw new PaymentDeclined("declined: " + order.id());
		}

		@JobHandler("ship")
		void ship(Order order, JobContext context) {
			this.shipped.add(order.id() + " after " + context.previousResult(Invoice.class).map(Invoice::total).orElse(null));
		}

		@JobHandler("notify")
		void notify(String message) {
			this.notified.add(message);
		}

	}

}
