package dev.jobqueue.sample.jobs;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.jobqueue.spring.annotation.JobHandler;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.dispatch.JobView;
import dev.jobqueue.spring.queue.JobQueues;

/** Job status by id, and a job that always fails, to watch retries end in the dead-letter queue. */
@RestController
class JobStatusController {

	private final JobQueues queues;

	private final JobDispatcher jobs;

	JobStatusController(JobQueues queues, JobDispatcher jobs) {
		this.queues = queues;
		this.jobs = jobs;
	}

	@GetMapping("/jobs/{queue}/{id}")
	ResponseEntity<Map<String, Object>> status(@PathVariable String queue, @PathVariable String id) {
		if (!this.queues.contains(queue)) {
			return ResponseEntity.notFound().build();
		}
		return this.queues.get(queue).get(id).map((info) -> {
			Map<String, Object> status = new LinkedHashMap<>();
			status.put("id", info.id());
			status.put("state", info.state().id());
			status.put("attempts", info.attempts());
			status.put("progress", info.progress());
			status.put("result", JobView.result(info));
			status.putAll(JobView.error(info));
			return ResponseEntity.ok(status);
		}).orElse(ResponseEntity.notFound().build());
	}

	@PostMapping("/flaky")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, String> flaky() {
		return Map.of("queue", "default", "job", this.jobs.dispatch("flaky_task", Map.of("reason", "demo")).id());
	}

	@Component
	static class FlakyJobs {

		@JobHandler(value = "flaky_task", maxRetries = "2",
				backoff = @dev.jobqueue.spring.annotation.Backoff(kind = dev.jobqueue.spring.annotation.Backoff.Kind.FIXED, delay = "1s"))
		void fail(Map<String, Object> payload) {
			throw new IllegalStateException("The downstream service is down (" + payload.get("reason") + ")");
		}

	}

}
