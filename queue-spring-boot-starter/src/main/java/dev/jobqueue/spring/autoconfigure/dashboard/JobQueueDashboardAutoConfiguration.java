package dev.jobqueue.spring.autoconfigure.dashboard;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.event.EventStore;
import dev.jobqueue.spring.autoconfigure.event.JobQueueEventsAutoConfiguration;
import dev.jobqueue.core.monitor.QueuePause;
import dev.jobqueue.core.monitor.ThroughputCounters;
import dev.jobqueue.core.monitor.WorkerRegistry;
import dev.jobqueue.core.schedule.Scheduler;
import dev.jobqueue.spring.autoconfigure.JobQueueProperties;
import dev.jobqueue.spring.autoconfigure.coordination.JobQueueCoordinationAutoConfiguration;
import dev.jobqueue.spring.autoconfigure.monitor.JobQueueMonitorAutoConfiguration;
import dev.jobqueue.spring.dashboard.DashboardAccess;
import dev.jobqueue.spring.dashboard.DashboardData;
import dev.jobqueue.spring.dashboard.DashboardHandler;
import dev.jobqueue.spring.queue.JobQueues;

/**
 * The web dashboard at {@code jobqueue.dashboard.path} (default {@code /jobqueue}) of a servlet web
 * application, when {@code jobqueue.dashboard.enabled=true}. Read-only unless
 * {@code jobqueue.dashboard.read-only=false}; when the application runs Spring Security's filter chain,
 * the chain signs users in and checks CSRF tokens, and the dashboard checks the viewer and operator roles.
 */
@AutoConfiguration(after = { JobQueueMonitorAutoConfiguration.class, JobQueueCoordinationAutoConfiguration.class,
		JobQueueEventsAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnProperty(prefix = "jobqueue.dashboard", name = "enabled", havingValue = "true")
@ConditionalOnBean({ JobQueues.class, WorkerRegistry.class })
@EnableConfigurationProperties(JobQueueDashboardProperties.class)
public class JobQueueDashboardAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(JobQueueDashboardAutoConfiguration.class);

	private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9_-]+)+");

	private static final Duration MIN_REFRESH = Duration.ofSeconds(2);

	/** The bean Spring Security's filter chain is registered as, when the application runs it. */
	private static final String SECURITY_FILTER_CHAIN = "springSecurityFilterChain";

	@Bean
	@ConditionalOnMissingBean
	DashboardAccess jobQueueDashboardAccess(JobQueueDashboardProperties properties, ListableBeanFactory beans) {
		// The chain, not the class path, decides: Spring Security on the class path with its auto-configuration off guards nothing.
		boolean secured = ClassUtils.isPresent("org.springframework.security.web.csrf.CsrfToken", getClass().getClassLoader())
				&& beans.containsBean(SECURITY_FILTER_CHAIN);
		return new DashboardAccess(properties.isReadOnly(), properties.getViewerRole(), properties.getOperatorRole(),
				secured);
	}

	@Bean
	@ConditionalOnMissingBean
	DashboardData jobQueueDashboardData(JobQueues queues, ThroughputCounters throughput, WorkerRegistry registry,
			QueuePause pause, ObjectProvider<Scheduler> scheduler, ObjectProvider<EventStore> events,
			JobQueueProperties properties, PayloadCodec codec) {
		// One read of Redis per second at most, however many pages are open.
		DashboardData data = new DashboardData(queues, throughput, registry, pause, scheduler.getIfAvailable(),
				properties.getKeyPrefix(), codec, Duration.ofSeconds(1));
		data.setEvents(events.getIfAvailable());
		return data;
	}

	@Bean
	@ConditionalOnMissingBean(name = "jobQueueDashboardHandlerMapping")
	SimpleUrlHandlerMapping jobQueueDashboardHandlerMapping(JobQueueDashboardProperties properties, DashboardData data,
			DashboardAccess access) {
		String path = properties.getPath();
		if (path == null || !PATH.matcher(path).matches()) {
			throw new IllegalStateException("jobqueue.dashboard.path must be like /jobqueue or /admin/jobs "
					+ "(letters, digits, '-', '_'; no trailing slash), not '" + path + "'");
		}
		if (properties.getPageSize() < 1 || properties.getPageSize() > 100) {
			throw new IllegalStateException("jobqueue.dashboard.page-size must be 1 to 100, not " + properties.getPageSize());
		}
		Duration refresh = properties.getRefreshInterval();
		if (refresh.compareTo(MIN_REFRESH) < 0) {
			logger.warn("jobqueue.dashboard.refresh-interval {} is below the minimum; using {}", refresh, MIN_REFRESH);
			refresh = MIN_REFRESH;
		}
		if (!access.isSecured() && !access.isReadOnly()) {
			logger.warn("The job dashboard at {} has write actions and Spring Security is not present: anyone who "
					+ "reaches this port can retry, delete and purge jobs", path);
		}
		DashboardHandler handler = new DashboardHandler(path, data, access, refresh, properties.getPageSize());
		// Before the resource handler's catch-all mapping, which would otherwise answer these paths.
		return new SimpleUrlHandlerMapping(Map.of(path, handler, path + "/**", handler), -1);
	}

}
