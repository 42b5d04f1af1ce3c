package dev.jobqueue.spring.autoconfigure.monitor;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.core.monitor.QueueMetricsRecorder;
import dev.jobqueue.core.monitor.QueuePause;
import dev.jobqueue.core.monitor.ThroughputCounters;
import dev.jobqueue.core.monitor.WorkerRegistry;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.JobQueueProperties;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.monitor.WorkerHeartbeats;
import dev.jobqueue.spring.queue.JobQueues;

/**
 * What the dashboard and the command line read: per-minute job counts (a {@link QueueMetricsRecorder}
 * listening to every worker) and the worker registry kept fresh by {@link WorkerHeartbeats}. On
 * unless {@code jobqueue.monitor.enabled=false}; the readers ({@link ThroughputCounters},
 * {@link WorkerRegistry}, {@link QueuePause}) are there either way.
 */
@AutoConfiguration(after = JobQueueAutoConfiguration.class)
@ConditionalOnBean(JobQueues.class)
@EnableConfigurationProperties(JobQueueMonitorProperties.class)
public class JobQueueMonitorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ThroughputCounters jobQueueThroughputCounters(UnifiedJedis redis, JobQueueProperties properties) {
		return new ThroughputCounters(redis, properties.getKeyPrefix());
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerRegistry jobQueueWorkerRegistry(UnifiedJedis redis, JobQueueProperties properties, JobQueues queues) {
		WorkerRegistry registry = new WorkerRegistry(redis, properties.getKeyPrefix());
		try {
			registry.addQueues(queues.names());
		}
		catch (RuntimeException ex) {
			// Redis down at start-up: the workers' heartbeats record the queues later.
		}
		return registry;
	}

	@Bean
	@ConditionalOnMissingBean
	QueuePause jobQueuePause(UnifiedJedis redis, JobQueueProperties properties) {
		return new QueuePause(redis, properties.getKeyPrefix());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "jobqueue.monitor", name = "enabled", matchIfMissing = true)
	QueueMetricsRecorder jobQueueMetricsRecorder(ThroughputCounters counters, JobQueueMonitorProperties properties) {
		return new QueueMetricsRecorder(counters).start(properties.getFlushInterval());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "jobqueue.monitor", name = "enabled", matchIfMissing = true)
	WorkerHeartbeats jobQueueWorkerHeartbeats(WorkerRegistry registry, JobHandlerEndpointRegistry endpoints,
			JobQueueProperties properties, JobQueueMonitorProperties monitor) {
		return new WorkerHeartbeats(registry, endpoints, properties, monitor.getHeartbeatInterval());
	}

}
