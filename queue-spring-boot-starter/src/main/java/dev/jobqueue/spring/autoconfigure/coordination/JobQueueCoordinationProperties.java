package dev.jobqueue.spring.autoconfigure.coordination;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.jobqueue.core.schedule.MisfirePolicy;

/**
 * Coordination primitives and schedules under {@code jobqueue.*}: rate limiters, semaphores and
 * leader elections by name, and recurring jobs ({@code jobqueue.schedules.<name>.*}).
 */
@ConfigurationProperties("jobqueue")
public class JobQueueCoordinationProperties {

	/** Rate limiters by name, each a RateLimiter bean in RateLimiters. */
	private final Map<String, RateLimiter> rateLimiters = new LinkedHashMap<>();

	/** Semaphores by name, each a Semaphore in Semaphores. */
	private final Map<String, Semaphore> semaphores = new LinkedHashMap<>();

	/** Leader elections by name; this node campaigns in each from start-up. */
	private final Map<String, LeaderElection> leaderElections = new LinkedHashMap<>();

	/** Recurring jobs by name. */
	private final Map<String, Schedule> schedules = new LinkedHashMap<>();

	/** How this node runs the schedules. */
	private final Scheduler scheduler = new Scheduler();

	public Map<String, RateLimiter> getRateLimiters() {
		return this.rateLimiters;
	}

	public Map<String, Semaphore> getSemaphores() {
		return this.semaphores;
	}

	public Map<String, LeaderElection> getLeaderElections() {
		return this.leaderElections;
	}

	public Map<String, Schedule> getSchedules() {
		return this.schedules;
	}

	public Scheduler getScheduler() {
		return this.scheduler;
	}

	/** A rate limiter: at most {@code limit} requests in any window of length {@code window}. */
	public static class RateLimiter {

		/** Most requests admitted in any window. */
		private int limit = 1;

		/** Length of the sliding window. */
		private Duration window = Duration.ofSeconds(1);

		/** How many requests may pass back to back (1 to limit); more burst means a lower sustained rate. */
		private int burst = 1;

		public int getLimit() {
			return this.limit;
		}

		public void setLimit(int limit) {
			this.limit = limit;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public int getBurst() {
			return this.burst;
		}

		public void setBurst(int burst) {
			this.burst = burst;
		}

	}

	/** A semaphore of expiring permits. */
	public static class Semaphore {

		/** Permits that may be held at once, until changed at run time. */
		private int limit = 1;

		public int getLimit() {
			return this.limit;
		}

		public void setLimit(int limit) {
			this.limit = limit;
		}

	}

	/** A leader election. */
	public static class LeaderElection {

		/** How long a leadership lasts without renewal; a dead leader is replaced within lease + check interval. */
		private Duration lease = Duration.ofSeconds(15);

		/** How often candidates campaign and the leader renews; less than half the lease. */
		private Duration checkInterval = Duration.ofSeconds(5);

		public Duration getLease() {
			return this.lease;
		}

		public void setLease(Duration lease) {
			this.lease = lease;
		}

		public Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(Duration checkInterval) {
			this.checkInterval = checkInterval;
		}

	}

	/** A recurring job: give either {@code cron} or {@code every}. */
	public static class Schedule {

		/** Cron expression: 5 fields (minute hour day month weekday) or 6 with seconds first. */
		private String cron;

		/** Fixed interval between fires, at multiples of it since the epoch, instead of a cron expression. */
		private Duration every;

		/** Job type to enqueue; the application must have a handler for it. */
		private String jobType;

		/** Payload of every job, as JSON; none means an empty object. */
		private String payload;

		/** Queue to enqueue on; the job type's handler queue when not set. */
		private String queue;

		/** Time zone the cron expression is read in. */
		private String zone = "UTC";

		/** What to do with fire times missed while no node ran: fire-once (one job for all) or skip. */
		private MisfirePolicy misfire = MisfirePolicy.FIRE_ONCE;

		public String getCron() {
			return this.cron;
		}

		public void setCron(String cron) {
			this.cron = cron;
		}

		public Duration getEvery() {
			return this.every;
		}

		public void setEvery(Duration every) {
			this.every = every;
		}

		public String getJobType() {
			return this.jobType;
		}

		public void setJobType(String jobType) {
			this.jobType = jobType;
		}

		public String getPayload() {
			return this.payload;
		}

		public void setPayload(String payload) {
			this.payload = payload;
		}

		public String getQueue() {
			return this.queue;
		}

		public void setQueue(String queue) {
			this.queue = queue;
		}

		public String getZone() {
			return this.zone;
		}

		public void setZone(String zone) {
			this.zone = zone;
		}

		public MisfirePolicy getMisfire() {
			return this.misfire;
		}

		public void setMisfire(MisfirePolicy misfire) {
			this.misfire = misfire;
		}

	}

	/** How this node runs schedules. */
	public static class Scheduler {

		/** Whether this node fires schedules; other nodes keep firing them when it does not. */
		private boolean enabled = true;

		/** How often this node looks at each schedule. */
		private Duration pollInterval = Duration.ofMillis(500);

		/** How long no node may look at a schedule before its due fire times count as missed. */
		private Duration outageThreshold = Duration.ofSeconds(5);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public Duration getOutageThreshold() {
			return this.outageThreshold;
		}

		public void setOutageThreshold(Duration outageThreshold) {
			this.outageThreshold = outageThreshold;
		}

	}

}
