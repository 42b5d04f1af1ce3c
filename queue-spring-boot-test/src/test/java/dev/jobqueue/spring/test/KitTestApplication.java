package dev.jobqueue.spring.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

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

		@JobHandler(value = "invoice", queue = "billing")
		Invoice invoice(Order order) {
			this.invoiced.add(order);
			return new Invoice(order.id(), order.amount() * 2);
		}

		@JobHandler(value = "charge", queue = "billing", maxRetries = "0")
		void charge(Order order) throws PaymentDeclined {
			throw new PaymentDeclined("declined: " + order.id());
		}

	}

}
