package dev.jobqueue.spring.test;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.worker.RetryPolicy;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.test.LocalRedisServer;

/**
 * The test kit's beans, imported by {@link AutoConfigureJobQueue}: a local {@code redis-server} (one per
 * test context, stopped with it), a {@link RecordingJobDispatcher} wrapped around the application's
 * dispatcher, and the {@link JobQueueTester}.
 */
@AutoConfiguration(before = JobQueueAutoConfiguration.class)
public class JobQueueTestAutoConfiguration {

	static final String DISPATCH_MODE_PROPERTY = "jobqueue.test.dispatch-mode";

	@Bean
	static BeanPostProcessor jobQueueRecordingDispatcherPostProcessor(Environment environment,
			ObjectProvider<PayloadCodec> codec) {
		DispatchMode mode = environment.getProperty(DISPATCH_MODE_PROPERTY, DispatchMode.class, DispatchMode.RECORD);
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
				if (!(bean instanceof JobDispatcher dispatcher) || bean instanceof RecordingJobDispatcher) {
					return bean;
				}
				RecordingJobDispatcher recording = new RecordingJobDispatcher(dispatcher, codec.getObject(), mode);
				recording.setAfterCommit(environment.getProperty("jobqueue.dispatch.after-commit", Boolean.class, true));
				return recording;
			}

		};
	}

	@Bean
	@ConditionalOnMissingBean
	JobQueueTester jobQueueTester(JobDispatcher dispatcher, JobHandlerEndpointRegistry handlers, JobQueues queues,
			RetryPolicy retryPolicy, PayloadCodec codec) {
		if (!(dispatcher instanceof RecordingJobDispatcher recording)) {
			throw new IllegalStateException("The JobDispatcher bean is a " + dispatcher.getClass().getName()
					+ ", not the test kit's recording dispatcher around it");
		}
		return new JobQueueTester(recording, handlers, queues, retryPolicy, codec);
	}

	/** A local redis-server, unless the test already says where Redis is (a {@code @ServiceConnection}, say). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(DataRedisConnectionDetails.class)
	static class LocalRedisConfiguration {

		@Bean(destroyMethod = "close")
		LocalRedisServer jobQueueTestRedisServer() {
			return LocalRedisServer.create().start();
		}

		@Bean
		DataRedisConnectionDetails jobQueueTestRedisConnectionDetails(LocalRedisServer jobQueueTestRedisServer) {
			return new LocalRedisConnectionDetails(jobQueueTestRedisServer);
		}

	}

}
