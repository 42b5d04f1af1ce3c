package dev.jobqueue.spring.autoconfigure.coordination;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.core.leader.LeaderElection;
import dev.jobqueue.core.leader.LeadershipListener;
import dev.jobqueue.core.limit.RateLimiter;
import dev.jobqueue.core.limit.Semaphore;
import dev.jobqueue.core.lock.DistributedLock;
import dev.jobqueue.core.lock.FencedStore;
import dev.jobqueue.core.lock.LockListener;
import dev.jobqueue.core.schedule.ScheduleListener;
import dev.jobqueue.core.schedule.Scheduler;
import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.JobQueueProperties;
import dev.jobqueue.spring.coordination.JobScheduleAnnotationBeanPostProcessor;
import dev.jobqueue.spring.coordination.JobScheduleAnnotationBeanPostProcessor.ScheduleDeclaration;
import dev.jobqueue.spring.coordination.LeaderElections;
import dev.jobqueue.spring.coordination.RateLimiters;
import dev.jobqueue.spring.coordination.ScheduleRegistrar;
import dev.jobqueue.spring.coordination.Semaphores;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.queue.JobQueues;

/**
 * Locks, semaphores, rate limiters, leader elections and schedules on the job queue's Redis client and
 * key prefix. Listener beans ({@link LockListener}, {@link RateLimiter.Listener},
 * {@link LeadershipListener}, {@link ScheduleListener}) are told about waits, decisions, leadership
 * changes and fires; the metrics auto-configuration adds one.
 */
@AutoConfiguration(after = JobQueueAutoConfiguration.class)
@ConditionalOnBean({ UnifiedJedis.class, JobQueues.class })
@EnableConfigurationProperties(JobQueueCoordinationProperties.class)
public class JobQueueCoordinationAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	DistributedLock distributedLock(UnifiedJedis redis, JobQueueProperties properties,
			ObjectProvider<LockListener> listeners) {
		return new DistributedLock(redis, properties.getKeyPrefix(),
				(key, waited, acquired) -> listeners.orderedStream().forEach((l) -> l.waited(key, waited, acquired)));
	}

	@Bean
	@ConditionalOnMissingBean
	FencedStore fencedStore(UnifiedJedis redis, JobQueueProperties properties) {
		return new FencedStore(redis, properties.getKeyPrefix());
	}

	@Bean
	@ConditionalOnMissingBean
	RateLimiters rateLimiters(UnifiedJedis redis, JobQueueProperties properties,
			JobQueueCoordinationProperties coordination, ObjectProvider<RateLimiter.Listener> listeners) {
		RateLimiter.Listener listener = (limiter, subject, decision) -> listeners.orderedStream()
			.forEach((l) -> l.decided(limiter, subject, decision));
		Map<String, RateLimiter> limiters = new LinkedHashMap<>();
		coordination.getRateLimiters().forEach((name, limiter) -> limiters.put(name, new RateLimiter(redis,
				properties.getKeyPrefix(), name, limiter.getLimit(), limiter.getWindow(), limiter.getBurst(), listener)));
		return new RateLimiters(limiters);
	}

	@Bean
	@ConditionalOnMissingBean
	Semaphores semaphores(UnifiedJedis redis, JobQueueProperties properties, JobQueueCoordinationProperties coordination) {
		Map<String, Semaphore> semaphores = new LinkedHashMap<>();
		coordination.getSemaphores().forEach((name, semaphore) -> semaphores.put(name,
				new Semaphore(redis, properties.getKeyPrefix(), name, semaphore.getLimit())));
		return new Semaphores(semaphores);
	}

	@Bean
	@ConditionalOnMissingBean
	LeaderElections leaderElections(UnifiedJedis redis, JobQueueProperties properties,
			JobQueueCoordinationProperties coordination, ObjectProvider<LeadershipListener> listeners) {
		LeadershipListener listener = new LeadershipListener() {
			@Override
			public void elected(String election, long term) {
				listeners.orderedStream().forEach((l) -> l.elected(election, term));
			}

			@Override
			public void revoked(String election, long term) {
				listeners.orderedStream().forEach((l) -> l.revoked(election, term));
			}
		};
		Map<String, LeaderElection> elections = new LinkedHashMap<>();
		coordination.getLeaderElections().forEach((name, election) -> elections.put(name,
				new LeaderElection(redis, properties.getKeyPrefix(), name, election.getLease(), election.getCheckInterval())
					.addListener(listener)));
		return new LeaderElections(elections);
	}

	@Bean
	@ConditionalOnMissingBean
	Scheduler jobQueueScheduler(UnifiedJedis redis, JobQueues queues, JobQueueProperties properties,
			JobQueueCoordinationProperties coordination, ObjectProvider<ScheduleListener> listeners) {
		JobQueueCoordinationProperties.Scheduler scheduler = coordination.getScheduler();
		return new Scheduler(redis, queues.options(queues.names().iterator().next()), properties.getDefaultQueue(),
				scheduler.getPollInterval(), scheduler.getOutageThreshold(), (name, fire, id, missed) -> listeners
					.orderedStream().forEach((l) -> l.fired(name, fire, id, missed)));
	}

	@Bean
	@ConditionalOnMissingBean
	static JobScheduleAnnotationBeanPostProcessor jobScheduleAnnotationBeanPostProcessor() {
		return new JobScheduleAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	ScheduleRegistrar jobQueueScheduleRegistrar(Scheduler scheduler, JobQueueCoordinationProperties coordination,
			JobScheduleAnnotationBeanPostProcessor annotations, JobHandlerEndpointRegistry handlers, JobQueues queues) {
		List<ScheduleDeclaration> declared = new ArrayList<>();
		coordination.getSchedules().forEach((name, schedule) -> declared.add(new ScheduleDeclaration(name,
				schedule.getCron(), schedule.getEvery(), schedule.getJobType(), schedule.getPayload(), schedule.getQueue(),
				schedule.getZone(), schedule.getMisfire(), "jobqueue.schedules." + name)));
		return new ScheduleRegistrar(scheduler, declared, annotations, handlers, queues,
				coordination.getScheduler().isEnabled());
	}

}
