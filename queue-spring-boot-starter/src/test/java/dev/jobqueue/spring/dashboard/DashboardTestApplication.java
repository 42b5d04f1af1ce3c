package dev.jobqueue.spring.dashboard;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

import dev.jobqueue.core.worker.NonRetryableJobException;
import dev.jobqueue.spring.annotation.JobHandler;
import dev.jobqueue.spring.annotation.JobSchedule;

/** The application the dashboard tests look at: a queue "work" whose jobs succeed, or fail while told to, and a schedule. */
@SpringBootApplication
public class DashboardTestApplication {

	@Component
	public static class Handlers {

		/** While set, "flaky" jobs fail for good. */
		public final AtomicBoolean failing = new AtomicBoolean(true);

		@JobHandler(value = "ok", queue = "work")
		public Map<String, Object> ok(Map<String, Object> payload) {
			return Map.of("done", true);
		}

		public final AtomicInteger reports = new AtomicInteger();

		@JobHandler(value = "nightly_report", queue = "work")
		@JobSchedule(name = "nightly", cron = "0 3 * * *")
		public void report(Map<String, Object> payload) {
			this.reports.incrementAndGet();
		}

		@JobHandler(value = "flaky", queue = "work")
		public String flaky(Map<String, Object> payload) {
			if (this.failing.get()) {
				throw new NonRetryableJobException("card declined <b>boom</b>");
			}
			return "ran";
		}

	}

}
