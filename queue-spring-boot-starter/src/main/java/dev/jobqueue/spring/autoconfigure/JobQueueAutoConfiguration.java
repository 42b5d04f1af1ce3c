package dev.jobqueue.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import tools.jackson.databind.json.JsonMapper;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.job.BackOff;
import dev.jobqueue.core.queue.Durability;
import dev.jobqueue.core.queue.JobQueue;
import dev.jobqueue.core.queue.QueueOptions;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.queue.Retention;
import dev.jobqueue.core.shard.ShardStrategy;
import dev.jobqueue.core.shard.ShardedQueue;
import dev.jobqueue.core.worker.JobExecutionListener;
import dev.jobqueue.core.worker.Durations;
import dev.jobqueue.core.worker.RetryPolicy;
import dev.jobqueue.core.worker.Worker;
import dev.jobqueue.spring.annotation.JobHandlerAnnotationBeanPostProcessor;
import dev.jobqueue.spring.autoconfigure.event.JobQueueEventsProperties;
import dev.jobqueue.spring.container.CompositeJobExecutionListener;
import dev.jobqueue.spring.dispatch.DispatchInterceptor;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.dispatch.RedisJobDispatcher;
import dev.jobqueue.spring.handler.JobExecutionInterceptor;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.observation.LoggingJobExecutionInterceptor;
import dev.jobqueue.spring.observation.MdcDispatchInterceptor;
import dev.jobqueue.spring.observation.MdcJobExecutionInterceptor;
import dev.jobqueue.spring.queue.JobQueues;

/**
 * The job queue's core beans: the Redis client (from {@code spring.data.redis.*}; refused
 * credentials or TLS fail start-up, an unreachable Redis does not), the configured
 * queues, the {@link JobDispatcher}, {@code @JobHandler} discovery and the registry that runs the
 * workers ({@code jobqueue.worker.enabled=false} keeps a node to dispatching). Every bean backs off
 * when the application defines its own.
 */
@AutoConfiguration(after = { DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class })
@ConditionalOnClass(RedisJobQueue.class)
@EnableConfigurationProperties({ JobQueueProperties.class, DataRedisProperties.class, JobQueueEventsProperties.class })
public class JobQueueAutoConfiguration {

	static final String SHUTDOWN_PHASE_PROPERTY = "spring.lifecycle.timeout-per-shutdown-phase";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(UnifiedJedis.class)
	UnifiedJedis jobQueueRedisClient(ObjectProvider<DataRedisConnectionDetails> connectionDetails,
			DataRedisProperties redisProperties, ObjectProvider<SslBundles> sslBundles, JobQueueProperties properties) {
		DataRedisConnectionDetails details = connectionDetails
			.getIfAvailable(() -> new PropertiesRedisConnectionDetails(redisProperties, sslBundles.getIfAvailable()));
		UnifiedJedis client = JobQueueRedisClients.create(details, redisProperties,
				JobQueueRedisClients.connectionsNeeded(properties));
		try {
			JobQueueRedisClients.verify(client, details);
		}
		catch (RuntimeException ex) {
			client.close();
			throw ex;
		}
		return client;
	}

	/**
	 * The application's JSON mapper (its modules, naming and date settings) without default typing: payloads are
	 * plain JSON bound to the handler's declared type, whatever the application's mapper does with its own data.
	 */
	@Bean
	@ConditionalOnMissingBean
	PayloadCodec jobQueuePayloadCodec(ObjectProvider<JsonMapper> jsonMapper) {
		JsonMapper mapper = jsonMapper.getIfAvailable();
		return (mapper != null) ? new PayloadCodec(mapper.rebuild().deactivateDefaultTyping().build())
				: PayloadCodec.defaults();
	}

	/** Retries and back-off of every job type that does not set its own; a bean of your own may use a custom back-off. */
	@Bean
	@ConditionalOnMissingBean
	RetryPolicy jobQueueRetryPolicy(JobQueueProperties properties) {
		JobQueueProperties.Jobs jobs = properties.getJobs();
		return RetryPolicy.defaults().withMaxRetries(jobs.getMaxRetries()).withBackoff(backOff(jobs.getBackoff()));
	}

	@Bean
	@ConditionalOnMissingBean
	JobQueues jobQueues(UnifiedJedis redis, JobQueueProperties properties, PayloadCodec codec,
			JobQueueEventsProperties events) {
		List<JobQueue> queues = new ArrayList<>();
		properties.effectiveQueues().forEach((name, queue) -> {
			QueueOptions options = QueueOptions.defaults()
				.withKeyPrefix(properties.getKeyPrefix())
				.withLeaseDuration((queue.getLeaseDuration() != null) ? queue.getLeaseDuration()
						: properties.getJobs().getLeaseDuration())
				.withCompletedRetention(new Retention(properties.getRetention().getCompleted().getMaxCount(),
						properties.getRetention().getCompleted().getMaxAge()))
				.withDeadRetention(new Retention(properties.getRetention().getDead().getMaxCount(),
						properties.getRetention().getDead().getMaxAge()))
				.withMaxStalls(properties.getJobs().getMaxStalls())
				.withIdempotencyWindow(properties.getJobs().getIdempotencyWindow())
				.withMaxPayloadSize(properties.getJobs().getMaxPayloadSize().toBytes())
				.withCodec(codec)
				.withStrictRedisCheck(properties.isStrictRedisCheck())
				.withDurability(queue.isDurable() ? properties.getScaling().durability() : Durability.NONE)
				.withEvents(events.toOptions());
			queues.add(queue(redis, name, queue.getShards(), options, properties.getScaling().getShardStrategy()));
		});
		return new JobQueues(redis, queues);
	}

	@Bean
	@ConditionalOnMissingBean
	JobHandlerEndpointRegistry jobHandlerEndpointRegistry(JobQueueProperties properties, JobQueues queues,
			RetryPolicy retryPolicy, ObjectProvider<JobExecutionListener> listeners,
			ObjectProvider<JobExecutionInterceptor> interceptors, Environment environment) {
		checkShutdownFitsItsPhase(properties, environment);
		// Listeners (metrics among them) are looked up when workers start, not while beans are still being created.
		JobHandlerEndpointRegistry registry = new JobHandlerEndpointRegistry(properties, queues, retryPolicy,
				() -> new CompositeJobExecutionListener(listeners.orderedStream().toList()));
		// Tracing outermost, so that the MDC and the execution log see the attempt's trace.
		JobExecutionInterceptor interceptor = interceptors.orderedStream()
			.reduce(JobExecutionInterceptor.NONE, JobExecutionInterceptor::around)
			.around(new MdcJobExecutionInterceptor());
		if (properties.getWorker().isLogExecution()) {
			interceptor = interceptor.around(new LoggingJobExecutionInterceptor());
		}
		registry.setInterceptor(interceptor);
		registry.setVirtualThreads(virtualThreads(properties.getWorker().getVirtualThreads(),
				environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false), Runtime.version().feature()));
		return registry;
	}

	/**
	 * Virtual threads when {@code jobqueue.worker.virtual-threads} says so, else when Spring's own switch does;
	 * never before JDK 21, which has none.
	 */
	static boolean virtualThreads(Boolean configured, boolean springVirtualThreads, int jdkFeature) {
		return ((configured != null) ? configured : springVirtualThreads) && jdkFeature >= 21;
	}

	@Bean
	@ConditionalOnMissingBean
	static JobHandlerAnnotationBeanPostProcessor jobHandlerAnnotationBeanPostProcessor() {
		return new JobHandlerAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	JobDispatcher jobDispatcher(JobQueues queues, JobHandlerEndpointRegistry registry, PayloadCodec codec,
			JobQueueProperties properties, ObjectProvider<DispatchInterceptor> interceptors) {
		RedisJobDispatcher dispatcher = new RedisJobDispatcher(queues, registry, codec, properties.getDefaultQueue(),
				properties.getScaling().durability());
		dispatcher.setRoutes(properties.getRoutes());
		dispatcher.setAfterCommit(properties.getDispatch().isAfterCommit());
		// The MDC is read before tracing starts the dispatch's span.
		DispatchInterceptor interceptor = interceptors.orderedStream()
			.reduce(DispatchInterceptor.NONE, DispatchInterceptor::around);
		if (!properties.getMdc().getPropagate().isEmpty()) {
			interceptor = new MdcDispatchInterceptor(properties.getMdc().getPropagate()).around(interceptor);
		}
		dispatcher.setInterceptor(interceptor);
		return dispatcher;
	}

	/** One queue, or its shards: partitions spread over the masters on a cluster, tagged name#i on one server. */
	static JobQueue queue(UnifiedJedis redis, String name, int shards, QueueOptions options, ShardStrategy strategy) {
		if (shards < 1) {
			throw new IllegalStateException("jobqueue.queues." + name + ".shards must be at least 1, not " + shards);
		}
		if (shards == 1) {
			return new RedisJobQueue(redis, name, options);
		}
		if (redis instanceof RedisClusterClient cluster) {
			return ShardedQueue.onCluster(cluster, name, shards, options, strategy);
		}
		List<UnifiedJedis> servers = new ArrayList<>();
		for (int i = 0; i < shards; i++) {
			servers.add(redis);
		}
		return ShardedQueue.onServers(servers, name, options, strategy);
	}

	/** Workers must be stopped, jobs handed back and outcomes written before Spring's shutdown phase ends. */
	static void checkShutdownFitsItsPhase(JobQueueProperties properties, Environment environment) {
		if (!properties.getWorker().isEnabled()) {
			return;
		}
		Duration phase = environment.getProperty(SHUTDOWN_PHASE_PROPERTY, Duration.class, Duration.ofSeconds(30));
		Duration needed = properties.getWorker().getShutdownTimeout().plus(Worker.STOP_MARGIN);
		if (needed.compareTo(phase) > 0) {
			throw new IllegalStateException("jobqueue.worker.shutdown-timeout (" + Durations.format(
					properties.getWorker().getShutdownTimeout()) + ") plus " + Durations.format(Worker.STOP_MARGIN)
					+ " to hand jobs back does not fit " + SHUTDOWN_PHASE_PROPERTY + " (" + Durations.format(phase)
					+ "): lower the first or raise the second, or running jobs are cut off when the context closes");
		}
	}

	static BackOff backOff(JobQueueProperties.Backoff backoff) {
		return switch (backoff.getKind()) {
			case FIXED -> backoff.getDelays().isEmpty() ? BackOff.fixed(backoff.getDelay())
					: BackOff.fixed(backoff.getDelays().toArray(java.time.Duration[]::new));
			case LINEAR -> BackOff.linear(backoff.getDelay(), backoff.getIncrement(), backoff.getMaxDelay());
			case EXPONENTIAL -> BackOff.exponential(backoff.getDelay(), backoff.getMultiplier(), backoff.getMaxDelay())
				.withJitter(backoff.getJitter());
		};
	}

}
