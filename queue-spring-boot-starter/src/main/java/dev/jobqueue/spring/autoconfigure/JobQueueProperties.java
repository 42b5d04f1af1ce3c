package dev.jobqueue.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

import dev.jobqueue.core.queue.Durability;
import dev.jobqueue.core.shard.ShardStrategy;

/**
 * Settings of the job queue, under {@code jobqueue}. Redis itself is configured once, with
 * {@code spring.data.redis.*}.
 */
@ConfigurationProperties("jobqueue")
@Validated
public class JobQueueProperties implements Validator {

	/** Checked when bound: errors name the property (see {@link JobQueuePropertiesValidation}). */
	@Override
	public void validate(Object target, Errors errors) {
		JobQueuePropertiesValidation.validate((JobQueueProperties) target, errors);
	}

	@Override
	public boolean supports(Class<?> type) {
		return JobQueueProperties.class.isAssignableFrom(type);
	}

	/** Prefix of every Redis key the queues use. */
	private String keyPrefix = "jobqueue";

	/** Queue that a job goes to when neither its dispatch nor its handler names one. */
	private String defaultQueue = "default";

	/** The queues, by name. When none is listed, there is one queue, named after default-queue. */
	private Map<String, Queue> queues = new LinkedHashMap<>();

	/**
	 * Refuse to start, instead of warning, when Redis's eviction policy or missing persistence put jobs at risk,
	 * or when those settings cannot be checked (Redis unreachable, CONFIG disabled).
	 */
	private boolean strictRedisCheck;

	/**
	 * The queue of each job type, by type: where dispatches of the type go unless their options name a queue,
	 * ahead of the queue of its handler. Lets a node without handlers route as worker nodes do.
	 */
	private Map<String, String> routes = new LinkedHashMap<>();

	private final Dispatch dispatch = new Dispatch();

	private final Mdc mdc = new Mdc();

	private final Worker worker = new Worker();

	private final Jobs jobs = new Jobs();

	private final Retention retention = new Retention();

	/** Endpoints that turn signed HTTP requests into jobs, by name. */
	private Map<String, Webhook> webhooks = new LinkedHashMap<>();

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public String getDefaultQueue() {
		return this.defaultQueue;
	}

	public void setDefaultQueue(String defaultQueue) {
		this.defaultQueue = defaultQueue;
	}

	public Map<String, Queue> getQueues() {
		return this.queues;
	}

	public void setQueues(Map<String, Queue> queues) {
		this.queues = queues;
	}

	public boolean isStrictRedisCheck() {
		return this.strictRedisCheck;
	}

	public void setStrictRedisCheck(boolean strictRedisCheck) {
		this.strictRedisCheck = strictRedisCheck;
	}

	public Worker getWorker() {
		return this.worker;
	}

	public Map<String, String> getRoutes() {
		return this.routes;
	}

	public void setRoutes(Map<String, String> routes) {
		this.routes = routes;
	}

	public Dispatch getDispatch() {
		return this.dispatch;
	}

	public Mdc getMdc() {
		return this.mdc;
	}

	/** How dispatches are stored. */
	public static class Dispatch {

		/**
		 * Whether a dispatch inside a Spring-managed transaction is stored after the commit (and dropped at a
		 * rollback) unless its options say otherwise.
		 */
		private boolean afterCommit = true;

		public boolean isAfterCommit() {
			return this.afterCommit;
		}

		public void setAfterCommit(boolean afterCommit) {
			this.afterCommit = afterCommit;
		}

	}

	/** Logging context of handlers. */
	public static class Mdc {

		/** MDC keys of the dispatching thread carried in the job and set in the MDC while its handler runs. */
		private List<String> propagate = new ArrayList<>();

		public List<String> getPropagate() {
			return this.propagate;
		}

		public void setPropagate(List<String> propagate) {
			this.propagate = propagate;
		}

	}

	public Jobs getJobs() {
		return this.jobs;
	}

	public Retention getRetention() {
		return this.retention;
	}

	public Map<String, Webhook> getWebhooks() {
		return this.webhooks;
	}

	public void setWebhooks(Map<String, Webhook> webhooks) {
		this.webhooks = webhooks;
	}

	/** The configured queues, or the default queue alone when none is configured. */
	public Map<String, Queue> effectiveQueues() {
		return this.queues.isEmpty() ? Map.of(this.defaultQueue, new Queue()) : this.queues;
	}

	/** One queue. */
	public static class Queue {

		/** How many of this queue's jobs run at once on this node, when the queue is not in a pool. */
		private int concurrency = 10;

		/** How long a job of this queue stays leased without a heartbeat; defaults to jobqueue.jobs.lease-duration. */
		private Duration leaseDuration;

		/** Partitions of this queue, each under its own hash tag; on Redis Cluster they spread over the masters. */
		private int shards = 1;

		/** Whether every enqueue waits for replicas as jobqueue.scaling.durable-* says. */
		private boolean durable;

		public int getShards() {
			return this.shards;
		}

		public void setShards(int shards) {
			this.shards = shards;
		}

		public boolean isDurable() {
			return this.durable;
		}

		public void setDurable(boolean durable) {
			this.durable = durable;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public Duration getLeaseDuration() {
			return this.leaseDuration;
		}

		public void setLeaseDuration(Duration leaseDuration) {
			this.leaseDuration = leaseDuration;
		}

	}

	/** Workers on this node. */
	public static class Worker {

		/** Whether this node runs workers; a web-only node sets false and only dispatches. */
		private boolean enabled = true;

		/**
		 * How long running jobs may finish at shutdown before they are handed back. Handing back and writing
		 * what is pending takes up to 5 s more, and the sum must fit
		 * spring.lifecycle.timeout-per-shutdown-phase (30 s by default).
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(25);

		/**
		 * How many handlers that ignore interrupts (abandoned at a timeout, a lost lease, a cancel or shutdown)
		 * get a thread lent in their place; past that, each keeps its slot and health is DOWN. Defaults to the
		 * worker's concurrency.
		 */
		private Integer maxStuckHandlers;

		/**
		 * Run handlers on virtual threads (when the JDK has them, 21+) or on platform threads; defaults to
		 * spring.threads.virtual.enabled.
		 */
		private Boolean virtualThreads;

		/** Log every execution at INFO: its start, and its outcome with its duration. */
		private boolean logExecution;

		/** Workers that poll several queues in the given order, by name; other queues get a worker each. */
		private Map<String, Pool> pools = new LinkedHashMap<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public Integer getMaxStuckHandlers() {
			return this.maxStuckHandlers;
		}

		public void setMaxStuckHandlers(Integer maxStuckHandlers) {
			this.maxStuckHandlers = maxStuckHandlers;
		}

		public Boolean getVirtualThreads() {
			return this.virtualThreads;
		}

		public void setVirtualThreads(Boolean virtualThreads) {
			this.virtualThreads = virtualThreads;
		}

		public boolean isLogExecution() {
			return this.logExecution;
		}

		public void setLogExecution(boolean logExecution) {
			this.logExecution = logExecution;
		}

		public Map<String, Pool> getPools() {
			return this.pools;
		}

		public void setPools(Map<String, Pool> pools) {
			this.pools = pools;
		}

	}

	/** A worker that polls several queues, highest priority first. */
	public static class Pool {

		/** Queues to poll, in priority order: a later queue is served only when the earlier ones are empty. */
		private List<String> queues = new ArrayList<>();

		/** How many jobs of this pool run at once on this node. */
		private int concurrency = 10;

		public List<String> getQueues() {
			return this.queues;
		}

		public void setQueues(List<String> queues) {
			this.queues = queues;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

	}

	/** Defaults for jobs, which a handler's annotation or a dispatch may override. */
	public static class Jobs {

		/** Retries after the first failure. */
		private int maxRetries = 3;

		/**
		 * Longest time one attempt may run unless its handler or dispatch says otherwise: finite, so a hung
		 * handler frees its slot and its job.
		 */
		private Duration timeout = Duration.ofMinutes(30);

		/**
		 * How long a caller-chosen job id stays taken (an idempotency key), however soon the job is forgotten;
		 * at least as long as every webhook's dedupe-window (3 days: senders retry that long).
		 */
		private Duration idempotencyWindow = Duration.ofDays(3);

		/** Largest payload accepted at dispatch; a larger one is refused with an error naming this limit. */
		private DataSize maxPayloadSize = DataSize.ofMegabytes(1);

		/**
		 * How long a job of a type no handler on a worker knows is handed back for another worker, counted from
		 * its creation (new web nodes may dispatch before old workers are replaced); then it is dead-lettered.
		 */
		private Duration unknownTypeGrace = Duration.ofMinutes(10);

		/** How long a leased job stays leased without a heartbeat; a worker renews it every third of that. */
		private Duration leaseDuration = Duration.ofSeconds(30);

		/**
		 * How many times a job's lease may expire unfinished (its worker died, hung or lost Redis) or the job
		 * bring its worker's process down, before it is dead-lettered as a poison pill.
		 */
		private int maxStalls = 3;

		private final Backoff backoff = new Backoff();

		public int getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getLeaseDuration() {
			return this.leaseDuration;
		}

		public void setLeaseDuration(Duration leaseDuration) {
			this.leaseDuration = leaseDuration;
		}

		public Duration getIdempotencyWindow() {
			return this.idempotencyWindow;
		}

		public void setIdempotencyWindow(Duration idempotencyWindow) {
			this.idempotencyWindow = idempotencyWindow;
		}

		public DataSize getMaxPayloadSize() {
			return this.maxPayloadSize;
		}

		public void setMaxPayloadSize(DataSize maxPayloadSize) {
			this.maxPayloadSize = maxPayloadSize;
		}

		public Duration getUnknownTypeGrace() {
			return this.unknownTypeGrace;
		}

		public void setUnknownTypeGrace(Duration unknownTypeGrace) {
			this.unknownTypeGrace = unknownTypeGrace;
		}

		public int getMaxStalls() {
			return this.maxStalls;
		}

		public void setMaxStalls(int maxStalls) {
			this.maxStalls = maxStalls;
		}

		public Backoff getBackoff() {
			return this.backoff;
		}

	}

	/** Delays between retries. */
	public static class Backoff {

		/** fixed, linear or exponential. */
		private BackoffKind kind = BackoffKind.EXPONENTIAL;

		/** First delay (exponential, linear) or the only delay (fixed, unless delays are listed). */
		private Duration delay = Duration.ofSeconds(1);

		/** Growth per retry of an exponential back-off. */
		private double multiplier = 2.0;

		/** Growth per retry of a linear back-off. */
		private Duration increment = Duration.ofSeconds(1);

		/** Longest delay. */
		private Duration maxDelay = Duration.ofHours(1);

		/** Delays in turn for a fixed back-off, the last one repeating. */
		private List<Duration> delays = new ArrayList<>();

		/** Random spread of exponential delays, e.g. 0.2 for +/- 20%. */
		private double jitter;

		public BackoffKind getKind() {
			return this.kind;
		}

		public void setKind(BackoffKind kind) {
			this.kind = kind;
		}

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getIncrement() {
			return this.increment;
		}

		public void setIncrement(Duration increment) {
			this.increment = increment;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public List<Duration> getDelays() {
			return this.delays;
		}

		public void setDelays(List<Duration> delays) {
			this.delays = delays;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

	}

	/** The kinds of back-off. */
	public enum BackoffKind {

		FIXED, LINEAR, EXPONENTIAL

	}

	/** How long finished jobs are kept in Redis; whichever limit is reached first applies. */
	public static class Retention {

		private final Completed completed = new Completed();

		private final Dead dead = new Dead();

		public Completed getCompleted() {
			return this.completed;
		}

		public Dead getDead() {
			return this.dead;
		}

	}

	/** Completed and cancelled jobs. */
	public static class Completed {

		/** How many completed and cancelled jobs to keep; 0 forgets a job as soon as it finishes. */
		private long maxCount = 1_000;

		/** How long to keep a completed or cancelled job. */
		private Duration maxAge = Duration.ofDays(1);

		public long getMaxCount() {
			return this.maxCount;
		}

		public void setMaxCount(long maxCount) {
			this.maxCount = maxCount;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	/** Dead-lettered jobs. */
	public static class Dead {

		/** How many dead-lettered jobs to keep. */
		private long maxCount = 10_000;

		/** How long to keep a dead-lettered job. */
		private Duration maxAge = Duration.ofDays(30);

		public long getMaxCount() {
			return this.maxCount;
		}

		public void setMaxCount(long maxCount) {
			this.maxCount = maxCount;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	/** An HTTP endpoint that turns signed POST requests into jobs. */
	public static class Webhook {

		/** Request path, e.g. /webhooks/stripe. */
		private String path;

		/** Type of the job each request becomes. */
		private String jobType;

		/** Queue of those jobs; defaults to the job type's handler queue or default-queue. */
		private String queue;

		/** How requests are signed: standard (Standard Webhooks), stripe or github. */
		private WebhookScheme scheme = WebhookScheme.STANDARD;

		/** The signing secret (Standard Webhooks: whsec_ followed by base64). */
		private String secret;

		/** More signing secrets accepted at the same time, while a secret is being rotated. */
		private List<String> secrets = new ArrayList<>();

		/** Largest accepted difference between a request's signed timestamp and now, in either direction. */
		private Duration tolerance = Duration.ofMinutes(5);

		/** How long a delivery is recognised when sent again (senders retry for days: Stripe for 3); needs the queue to keep job ids at least that long. */
		private Duration dedupeWindow = Duration.ofDays(3);

		/** Largest accepted body; larger requests are refused before or while being read. */
		private DataSize maxBodySize = DataSize.ofMegabytes(1);

		/** How many bodies of this webhook are read at once; more requests meanwhile are answered 503. */
		private int maxConcurrentReads = 32;

		/** Longest time a request may take to send its body, after which it is answered 408. */
		private Duration readTimeout = Duration.ofSeconds(10);

		/** Request headers copied into the job's metadata. */
		private List<String> headers = new ArrayList<>();

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public String getJobType() {
			return this.jobType;
		}

		public void setJobType(String jobType) {
			this.jobType = jobType;
		}

		public String getQueue() {
			return this.queue;
		}

		public void setQueue(String queue) {
			this.queue = queue;
		}

		public WebhookScheme getScheme() {
			return this.scheme;
		}

		public void setScheme(WebhookScheme scheme) {
			this.scheme = scheme;
		}

		public String getSecret() {
			return this.secret;
		}

		public void setSecret(String secret) {
			this.secret = secret;
		}

		public List<String> getSecrets() {
			return this.secrets;
		}

		public void setSecrets(List<String> secrets) {
			this.secrets = secrets;
		}

		public Duration getTolerance() {
			return this.tolerance;
		}

		public void setTolerance(Duration tolerance) {
			this.tolerance = tolerance;
		}

		public DataSize getMaxBodySize() {
			return this.maxBodySize;
		}

		public void setMaxBodySize(DataSize maxBodySize) {
			this.maxBodySize = maxBodySize;
		}

		public Duration getDedupeWindow() {
			return this.dedupeWindow;
		}

		public void setDedupeWindow(Duration dedupeWindow) {
			this.dedupeWindow = dedupeWindow;
		}

		public int getMaxConcurrentReads() {
			return this.maxConcurrentReads;
		}

		public void setMaxConcurrentReads(int maxConcurrentReads) {
			this.maxConcurrentReads = maxConcurrentReads;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public List<String> getHeaders() {
			return this.headers;
		}

		public void setHeaders(List<String> headers) {
			this.headers = headers;
		}

		/** Every secret that may sign a request. */
		public List<String> allSecrets() {
			List<String> all = new ArrayList<>();
			if (this.secret != null && !this.secret.isBlank()) {
				all.add(this.secret);
			}
			this.secrets.stream().filter((value) -> value != null && !value.isBlank()).forEach(all::add);
			return all;
		}

	}

	/** Signature schemes of webhook senders. */
	public enum WebhookScheme {

		/** The Standard Webhooks specification: webhook-id, webhook-timestamp and webhook-signature headers. */
		STANDARD,

		/** Stripe's Stripe-Signature header. */
		STRIPE,

		/** GitHub's X-Hub-Signature-256 header. */
		GITHUB

	}

	private final Actuator actuator = new Actuator();

	public Actuator getActuator() {
		return this.actuator;
	}

	/** The {@code jobqueue} actuator endpoint. */
	public static class Actuator {

		/** Role (without the ROLE_ prefix) a caller needs for the endpoint's write operations when Spring Security is on the class path. */
		private String writeRole = "JOBQUEUE_ADMIN";

		/** Who sees jobs' results, metadata and error messages in the endpoint's read views; others see ids, types, states and counts. */
		private ShowDetails showDetails = ShowDetails.WHEN_AUTHORIZED;

		public String getWriteRole() {
			return this.writeRole;
		}

		public void setWriteRole(String writeRole) {
			this.writeRole = writeRole;
		}

		public ShowDetails getShowDetails() {
			return this.showDetails;
		}

		public void setShowDetails(ShowDetails showDetails) {
			this.showDetails = showDetails;
		}

	}

	/** Who sees the data of jobs in the actuator endpoint. */
	public enum ShowDetails {

		/** Nobody. */
		NEVER,

		/** Authenticated callers with the write role. */
		WHEN_AUTHORIZED,

		/** Every caller who may read the endpoint. */
		ALWAYS

	}

	private final Scaling scaling = new Scaling();

	public Scaling getScaling() {
		return this.scaling;
	}

	/** Sharded queues and durable enqueues. */
	public static class Scaling {

		/** How a sharded queue picks the shard of a new job; jobs with a caller-chosen id always go by hash. */
		private ShardStrategy shardStrategy = ShardStrategy.HASH;

		/** Replicas a durable enqueue waits for (WAIT). */
		private int durableReplicas = 1;

		/** How long a durable enqueue waits for them; keep it below spring.data.redis.timeout. */
		private Duration durableTimeout = Duration.ofSeconds(1);

		/** Whether a durable enqueue also waits for the replicas' append-only file (WAITAOF, Redis 7.2+; skipped before). */
		private boolean durableFsync;

		public ShardStrategy getShardStrategy() {
			return this.shardStrategy;
		}

		public void setShardStrategy(ShardStrategy shardStrategy) {
			this.shardStrategy = shardStrategy;
		}

		public int getDurableReplicas() {
			return this.durableReplicas;
		}

		public void setDurableReplicas(int durableReplicas) {
			this.durableReplicas = durableReplicas;
		}

		public Duration getDurableTimeout() {
			return this.durableTimeout;
		}

		public void setDurableTimeout(Duration durableTimeout) {
			this.durableTimeout = durableTimeout;
		}

		public boolean isDurableFsync() {
			return this.durableFsync;
		}

		public void setDurableFsync(boolean durableFsync) {
			this.durableFsync = durableFsync;
		}

		/** What a durable enqueue waits for. */
		public Durability durability() {
			Durability durability = Durability.replicas(this.durableReplicas, this.durableTimeout);
			return this.durableFsync ? durability.withFsync() : durability;
		}

	}

}
