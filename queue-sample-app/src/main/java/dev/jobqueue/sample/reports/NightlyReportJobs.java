package dev.jobqueue.sample.reports;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.core.job.Priority;
import dev.jobqueue.spring.annotation.JobHandler;
import dev.jobqueue.spring.dispatch.DispatchOptions;
import dev.jobqueue.spring.dispatch.JobDispatcher;

/** The nightly report: dispatched to run later, on a queue of its own with one worker. */
@Component
class NightlyReportJobs {

	private static final Logger logger = LoggerFactory.getLogger(NightlyReportJobs.class);

	record Report(LocalDate day) {
	}

	@JobHandler(value = "nightly_report", queue = "reports", timeout = "10m")
	Map<String, Object> build(Report report, JobContext context) {
		logger.info("Nightly report for {} (job {})", report.day(), context.jobId());
		return Map.of("day", report.day().toString(), "orders", 42);
	}

	@RestController
	static class ReportController {

		private final JobDispatcher jobs;

		ReportController(JobDispatcher jobs) {
			this.jobs = jobs;
		}

		@PostMapping("/reports/nightly")
		@ResponseStatus(HttpStatus.ACCEPTED)
		Map<String, String> schedule(@RequestParam(defaultValue = "30") long inSeconds) {
			LocalDate day = LocalDate.now();
			String id = this.jobs.dispatchAfter(Duration.ofSeconds(inSeconds), "nightly_report", new Report(day),
					DispatchOptions.none().priority(Priority.HIGH).id("report-" + day)).id();
			return Map.of("queue", "reports", "job", id);
		}

	}

}
