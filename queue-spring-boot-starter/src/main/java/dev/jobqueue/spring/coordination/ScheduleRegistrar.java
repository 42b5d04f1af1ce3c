package dev.jobqueue.spring.coordination;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.SmartLifecycle;

import dev.jobqueue.core.schedule.FireTimes;
import dev.jobqueue.core.schedule.Schedule;
import dev.jobqueue.core.schedule.Scheduler;
import dev.jobqueue.spring.coordination.JobScheduleAnnotationBeanPostProcessor.ScheduleDeclaration;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.handler.MethodJobHandlerEndpoint;
import dev.jobqueue.spring.queue.JobQueues;

/**
 * Checks every declared schedule at start-up (a bad cron, an unknown zone, a job type with no handler
 * or an unknown queue fails the start and names the schedule), hands them to the {@link Scheduler}
 * and, unless this node is told not to, starts firing them. Only declared schedules fire: one removed
 * from configuration stops.
 */
public class ScheduleRegistrar implements SmartLifecycle {

	private final Scheduler scheduler;

	private final List<ScheduleDeclaration> properties;

	private final JobScheduleAnnotationBeanPostProcessor annotations;

	private final JobHandlerEndpointRegistry handlers;

	private final JobQueues queues;

	private final boolean fire;

	private volatile boolean running;

	public ScheduleRegistrar(Scheduler scheduler, List<ScheduleDeclaration> properties,
			JobScheduleAnnotationBeanPostProcessor annotations, JobHandlerEndpointRegistry handlers, JobQueues queues,
			boolean fire) {
		this.scheduler = scheduler;
		this.properties = properties;
		this.annotations = annotations;
		this.handlers = handlers;
		this.queues = queues;
		this.fire = fire;
	}

	@Override
	public void start() {
		Map<String, ScheduleDeclaration> declared = new LinkedHashMap<>();
		List<ScheduleDeclaration> all = new ArrayList<>(this.properties);
		all.addAll(this.annotations.declarations());
		for (ScheduleDeclaration declaration : all) {
			ScheduleDeclaration twin = declared.put(declaration.name(), declaration);
			if (twin != null) {
				throw new IllegalStateException("Schedule '" + declaration.name() + "' is declared twice: by "
						+ twin.source() + " and by " + declaration.source());
			}
			this.scheduler.add(schedule(declaration));
		}
		if (this.fire) {
			this.scheduler.start();
		}
		this.running = true;
	}

	private Schedule schedule(ScheduleDeclaration declaration) {
		String name = declaration.name();
		try {
			if ((declaration.cron() == null) == (declaration.every() == null)) {
				throw new IllegalArgumentException("give either a cron expression or an interval (every)");
			}
			if (declaration.jobType() == null || declaration.jobType().isBlank()) {
				throw new IllegalArgumentException("no job type");
			}
			MethodJobHandlerEndpoint handler = this.handlers.endpoint(declaration.jobType())
				.orElseThrow(() -> new IllegalArgumentException(
						"no @JobHandler for job type '" + declaration.jobType() + "'"));
			String queue = (declaration.queue() != null) ? declaration.queue() : handler.queue();
			if (!this.queues.contains(queue)) {
				throw new IllegalArgumentException("queue '" + queue + "' is not configured (jobqueue.queues)");
			}
			FireTimes times = (declaration.cron() != null)
					? FireTimes.cron(declaration.cron(), ZoneId.of(declaration.zone())) : FireTimes.every(declaration.every());
			return new Schedule(name, times, declaration.jobType(), declaration.payload(), queue, declaration.misfire());
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Schedule '" + name + "' (" + declaration.source() + ") is invalid: "
					+ ex.getMessage(), ex);
		}
	}

	@Override
	public void stop() {
		this.scheduler.close();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** After the workers, so a fire's job finds them running. */
	@Override
	public int getPhase() {
		return JobHandlerEndpointRegistry.PHASE + 1;
	}

}
