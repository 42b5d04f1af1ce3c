package dev.jobqueue.spring.actuate.endpoint;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import dev.jobqueue.core.dlq.DeadLetter;
import dev.jobqueue.core.dlq.DeadLetterQueue;
import dev.jobqueue.core.flow.BatchStatus;
import dev.jobqueue.core.flow.ChainStatus;
import dev.jobqueue.core.flow.Flows;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.queue.QueueStats;
import dev.jobqueue.core.queue.JobQueue;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.schedule.ScheduleStatus;
import dev.jobqueue.core.schedule.Scheduler;
import dev.jobqueue.spring.container.WorkerContainer;
import dev.jobqueue.spring.dispatch.JobView;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.queue.JobQueues;

/**
 * The {@code jobqueue} actuator endpoint: counts per queue, a queue's dead letters, a job by id,
 * the schedules with their next fires, and, when its access is unrestricted
 * ({@code management.endpoint.jobqueue.access=unrestricted}), retrying, purging, deleting and cancelling
 * jobs and triggering, pausing and resuming schedules.
 * <p>
 * With a write role (Spring Security present), write operations answer 403 to callers without it,
 * whatever the application's security rules let through. Read views show every caller ids, types,
 * states, times, attempts and counts; jobs' data (results, metadata, error messages) only to those
 * {@code showDetails} allows. Payloads are never shown.
 */
@Endpoint(id = "jobqueue", defaultAccess = Access.READ_ONLY)
public class JobQueueEndpoint {

	private static final int DEAD_LETTERS_SHOWN = 50;

	private final JobQueues queues;

	private final JobHandlerEndpointRegistry registry;

	private final String writeRole;

	private final Show showDetails;

	private final Scheduler scheduler;

	/**
	 * @param writeRole the role write operations need; {@code null} lets every caller who reaches them write
	 * @param showDetails who sees jobs' data; "authorized" means holding {@code writeRole}
	 * @param scheduler the schedules to list and operate, or {@code null}
	 */
	public JobQueueEndpoint(JobQueues queues, JobHandlerEndpointRegistry registry, String writeRole, Show showDetails,
			Scheduler scheduler) {
		this.queues = queues;
		this.registry = registry;
		this.writeRole = writeRole;
		this.showDetails = showDetails;
		this.scheduler = scheduler;
	}

	/** Every queue's counts and this node's workers. */
	@ReadOperation
	public Map<String, Object> queues() {
		Map<String, Object> queues = new LinkedHashMap<>();
		this.queues.all().forEach((queue) -> queues.put(queue.name(), counts(queue.stats())));
		Map<String, Object> workers = new LinkedHashMap<>();
		for (WorkerContainer container : this.registry.containers()) {
			workers.put(container.name(), Map.of("queues", container.queues(), "running", container.isRunning(),
					"active", container.worker().activeCount()));
		}
		Map<String, Object> all = new LinkedHashMap<>(Map.of("queues", queues, "workers", workers, "handlers",
				this.registry.endpoints().stream()
					.map((endpoint) -> Map.of("type", endpoint.type(), "queue", endpoint.queue(), "method",
							endpoint.describe()))
					.toList()));
		if (this.scheduler != null) {
			all.put("schedules", this.scheduler.list().stream().map(JobQueueEndpoint::describe).toList());
		}
		return all;
	}

	/** {@code POST schedules/<name>/trigger|pause|resume}: runs a schedule's job now, pauses or resumes it. */
	@WriteOperation
	public WebEndpointResponse<Map<String, Object>> scheduleAction(@Selector String section, @Selector String name,
			@Selector String action, SecurityContext security) {
		if (!mayWrite(security)) {
			return refused();
		}
		if (!"schedules".equals(section) || this.scheduler == null
				|| this.scheduler.schedules().stream().noneMatch((schedule) -> schedule.name().equals(name))) {
			throw new InvalidEndpointRequestException("No schedule '" + name + "'", "No such schedule");
		}
		return new WebEndpointResponse<>(switch (action) {
			case "trigger" -> Map.of("action", action, "job", this.scheduler.trigger(name));
			case "pause" -> {
				this.scheduler.pause(name);
				yield Map.of("action", action, "done", true);
			}
			case "resume" -> {
				this.scheduler.resume(name);
				yield Map.of("action", action, "done", true);
			}
			default -> throw new InvalidEndpointRequestException("Unknown action '" + action + "'",
					"Unknown action; use trigger, pause or resume");
		});
	}

	private static Map<String, Object> describe(ScheduleStatus status) {
		Map<String, Object> schedule = new LinkedHashMap<>();
		schedule.put("name", status.name());
		schedule.put("when", status.description());
		schedule.put("jobType", status.jobType());
		schedule.put("queue", status.queue());
		schedule.put("paused", status.paused());
		putIfPresent(schedule, "lastFire", status.lastFire());
		schedule.put("nextFires", status.nextFires().stream().map(Instant::toString).toList());
		return schedule;
	}

	/** One queue's counts and its newest dead letters. */
	@ReadOperation
	public Map<String, Object> queue(@Selector String queue, SecurityContext security) {
		if (!this.queues.contains(queue)) {
			return null;
		}
		boolean details = showsDetails(security);
		JobQueue jobQueue = this.queues.get(queue);
		DeadLetterQueue deadLetters = jobQueue.deadLetters();
		List<Map<String, Object>> dead = deadLetters.get(0, DEAD_LETTERS_SHOWN - 1).stream()
			.map((letter) -> describe(letter, details))
			.toList();
		return Map.of("queue", queue, "paused", jobQueue.isPaused(), "counts", counts(jobQueue.stats()), "deadLetters", dead);
	}

	/** One job: state, attempts and, for callers who may see details, its result, metadata and last error. */
	@ReadOperation
	public Map<String, Object> job(@Selector String queue, @Selector String id, SecurityContext security) {
		if (!this.queues.contains(queue)) {
			return null;
		}
		boolean details = showsDetails(security);
		JobQueue jobQueue = this.queues.get(queue);
		Optional<Map<String, Object>> job = jobQueue.get(id).map((info) -> describe(info, details));
		if (job.isPresent()) {
			return job.get();
		}
		if (!(jobQueue instanceof RedisJobQueue unsharded)) {
			return null;
		}
		Flows flows = new Flows(unsharded);
		return flows.chainStatus(id).map(JobQueueEndpoint::describe)
			.or(() -> flows.batchStatus(id).map(JobQueueEndpoint::describe)).orElse(null);
	}

	private static Map<String, Object> describe(ChainStatus chain) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("chain", chain.id());
		out.put("status", chain.status().name().toLowerCase(java.util.Locale.ROOT));
		out.put("step", chain.step());
		out.put("steps", chain.steps());
		if (chain.failedStep() > 0) {
			out.put("failedStep", chain.failedStep());
		}
		out.put("jobs", chain.jobIds());
		return out;
	}

	private static Map<String, Object> describe(BatchStatus batch) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("batch", batch.id());
		out.put("status", batch.status().name().toLowerCase(java.util.Locale.ROOT));
		out.put("total", batch.total());
		out.put("pending", batch.pending());
		out.put("successful", batch.successful());
		out.put("failed", batch.failed());
		out.put("cancelled", batch.cancelled());
		return out;
	}

	/** {@code retry-all} puts every dead letter back; {@code purge} deletes them all; {@code pause}, {@code resume}. */
	@WriteOperation
	public WebEndpointResponse<Map<String, Object>> queueAction(@Selector String queue, String action,
			SecurityContext security) {
		if (!mayWrite(security)) {
			return refused();
		}
		JobQueue jobQueue = existing(queue);
		DeadLetterQueue deadLetters = jobQueue.deadLetters();
		return new WebEndpointResponse<>(switch (action) {
			case "retry-all" -> Map.of("action", action, "jobs", deadLetters.retryAll());
			case "purge" -> Map.of("action", action, "jobs", deadLetters.purge());
			case "pause" -> {
				jobQueue.pause();
				yield Map.of("action", action, "paused", true);
			}
			case "resume" -> {
				jobQueue.resume();
				yield Map.of("action", action, "paused", false);
			}
			default -> throw new InvalidEndpointRequestException("Unknown action '" + action + "'",
					"Unknown action; use retry-all, purge, pause or resume");
		});
	}

	/**
	 * {@code retry} puts a dead letter back; {@code delete} removes it; {@code cancel} cancels a job (running
	 * ones at their worker's next heartbeat), a chain or a batch.
	 */
	@WriteOperation
	public WebEndpointResponse<Map<String, Object>> jobAction(@Selector String queue, @Selector String id,
			String action, SecurityContext security) {
		if (!mayWrite(security)) {
			return refused();
		}
		JobQueue jobQueue = existing(queue);
		return new WebEndpointResponse<>(switch (action) {
			case "retry" -> Map.of("action", action, "done", jobQueue.deadLetters().retry(id));
			case "delete" -> Map.of("action", action, "done", jobQueue.deadLetters().delete(id));
			case "cancel" -> Map.of("action", action, "result", jobQueue.cancel(id).name());
			default -> throw new InvalidEndpointRequestException("Unknown action '" + action + "'",
					"Unknown action; use retry, delete or cancel");
		});
	}

	private boolean mayWrite(SecurityContext security) {
		return this.writeRole == null || (security.getPrincipal() != null && security.isUserInRole(this.writeRole));
	}

	private WebEndpointResponse<Map<String, Object>> refused() {
		return new WebEndpointResponse<>(Map.of("error", "Write operations need role " + this.writeRole), 403);
	}

	private boolean showsDetails(SecurityContext security) {
		return this.showDetails.isShown(security, (this.writeRole != null) ? Set.of(this.writeRole) : Set.of());
	}

	private JobQueue existing(String queue) {
		if (!this.queues.contains(queue)) {
			throw new InvalidEndpointRequestException("No queue '" + queue + "'", "No such queue");
		}
		return this.queues.get(queue);
	}

	private Map<String, Object> describe(JobInfo info, boolean details) {
		Map<String, Object> job = new LinkedHashMap<>();
		job.put("id", info.id());
		job.put("state", info.state().id());
		if (info.job() != null) {
			job.put("type", info.job().type());
			job.put("queue", info.job().queue());
			job.put("priority", info.job().priority());
			job.put("createdAt", info.job().createdAt());
			if (details) {
				job.put("metadata", info.job().metadata());
			}
		}
		putIfPresent(job, "stateAt", info.stateAt());
		job.put("attempts", info.attempts());
		job.put("failures", info.failures());
		job.put("stalls", info.stalls());
		putIfPresent(job, "progress", info.progress());
		if (details) {
			putIfPresent(job, "progressMessage", info.progressMessage());
			putIfPresent(job, "result", JobView.result(info));
			job.putAll(JobView.error(info));
		}
		else if (info.lastError() != null) {
			// Who failed and with what, without the message or trace that may quote the job's data.
			String key = JobView.isEarlier(info) ? "earlierErrorType" : "errorType";
			putIfPresent(job, key, info.lastError().exceptionType());
			putIfPresent(job, "worker", info.lastError().workerId());
		}
		return job;
	}

	private Map<String, Object> describe(DeadLetter letter, boolean details) {
		Map<String, Object> job = new LinkedHashMap<>();
		job.put("id", letter.id());
		putIfPresent(job, "type", (letter.job() != null) ? letter.job().type() : null);
		job.put("failedAt", letter.failedAt());
		job.put("attempts", letter.attempts());
		putError(job, letter.error(), details);
		return job;
	}

	/** The exception's type and worker always; its message, which may quote the job's data, with details only. */
	private static void putError(Map<String, Object> job, JobError error, boolean details) {
		if (error != null) {
			if (details) {
				job.put("error", error.message());
			}
			putIfPresent(job, "errorType", error.exceptionType());
			putIfPresent(job, "worker", error.workerId());
		}
	}

	private static void putIfPresent(Map<String, Object> map, String key, Object value) {
		if (value != null) {
			map.put(key, (value instanceof Instant instant) ? instant.toString() : value);
		}
	}

	private static Map<String, Long> counts(QueueStats stats) {
		Map<String, Long> counts = new LinkedHashMap<>();
		counts.put("pending", stats.pending());
		counts.put("scheduled", stats.scheduled());
		counts.put("active", stats.active());
		counts.put("retrying", stats.retrying());
		counts.put("dead", stats.dead());
		counts.put("completed", stats.completed());
		counts.put("cancelled", stats.cancelled());
		return counts;
	}

}
