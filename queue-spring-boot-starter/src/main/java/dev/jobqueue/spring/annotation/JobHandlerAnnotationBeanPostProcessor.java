package dev.jobqueue.spring.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.job.BackOff;
import dev.jobqueue.core.limit.RateLimiter;
import dev.jobqueue.core.middleware.Invocation;
import dev.jobqueue.core.middleware.JobMiddleware;
import dev.jobqueue.core.middleware.RateLimit;
import dev.jobqueue.core.middleware.SkipIf;
import dev.jobqueue.core.middleware.WithoutOverlapping;
import dev.jobqueue.core.worker.HandlerOptions;
import dev.jobqueue.core.worker.RetryPolicy;
import dev.jobqueue.spring.autoconfigure.JobQueueProperties;
import dev.jobqueue.spring.coordination.RateLimiters;
import dev.jobqueue.spring.handler.JobContextArgumentResolver;
import dev.jobqueue.spring.handler.JobHandlerDefinitionException;
import dev.jobqueue.spring.handler.JobHandlerEndpointRegistry;
import dev.jobqueue.spring.handler.JobParameterArgumentResolver;
import dev.jobqueue.spring.handler.MethodJobHandlerEndpoint;
import dev.jobqueue.spring.handler.PayloadArgumentResolver;

/**
 * Finds {@link JobHandler @JobHandler} methods on beans and registers each as an endpoint with the
 * {@link JobHandlerEndpointRegistry}. It only describes handlers: workers are built and started by
 * the registry once every bean exists. A handler that cannot work fails start-up with a message
 * that names the method and says what to change.
 */
public class JobHandlerAnnotationBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware {

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private ConfigurableBeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (ConfigurableBeanFactory) beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)) {
			return bean;
		}
		Map<Method, JobHandler> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<JobHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, JobHandler.class));
		if (methods.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		JobHandlerEndpointRegistry registry = this.beanFactory.getBean(JobHandlerEndpointRegistry.class);
		methods.forEach((method, annotation) -> {
			try {
				registry.register(endpoint(bean, invocable(method, bean), annotation));
			}
			catch (RuntimeException ex) {
				throw new BeanInitializationException("Invalid @JobHandler on bean '" + beanName + "': " + ex.getMessage(), ex);
			}
		});
		return bean;
	}

	private MethodJobHandlerEndpoint endpoint(Object bean, Method method, JobHandler annotation) {
		JobQueueProperties properties = this.beanFactory.getBean(JobQueueProperties.class);
		String type = resolve(annotation.type());
		if (type.isEmpty()) {
			throw new JobHandlerDefinitionException("@JobHandler on " + method + " names no job type.",
					"Name it: @JobHandler(\"my_job\").");
		}
		String queue = resolve(annotation.queue());
		return MethodJobHandlerEndpoint.create(bean, method, type, queue.isEmpty() ? properties.getDefaultQueue() : queue,
				options(annotation, method, bean), List.of(new JobContextArgumentResolver(), new JobParameterArgumentResolver(),
						new PayloadArgumentResolver(this.beanFactory.getBean(PayloadCodec.class))));
	}

	/** The annotation's own retry and timeout settings, over the application's defaults. */
	private HandlerOptions options(JobHandler annotation, Method method, Object bean) {
		try {
			RetryPolicy policy = null;
			String maxRetries = resolve(annotation.maxRetries());
			Backoff backoff = annotation.backoff();
			if (!maxRetries.isEmpty() || backoff.kind() != Backoff.Kind.DEFAULT) {
				policy = this.beanFactory.getBean(RetryPolicy.class);
				if (!maxRetries.isEmpty()) {
					policy = policy.withMaxRetries(Integer.parseInt(maxRetries));
				}
				if (backoff.kind() != Backoff.Kind.DEFAULT) {
					policy = policy.withBackoff(backOff(backoff));
				}
			}
			String timeout = resolve(annotation.timeout());
			return flows(new HandlerOptions(policy, timeout.isEmpty() ? null : duration(timeout, "timeout")),
					annotation, bean);
		}
		catch (IllegalArgumentException ex) {
			throw new JobHandlerDefinitionException("@JobHandler method " + method.getName() + " has a bad setting: "
					+ ex.getMessage() + ".", "Fix the attribute on the annotation (or the property it reads).", ex);
		}
	}

	/** Middleware and hooks the annotation declares: skip-if, rate limit, without-overlapping, named beans. */
	private HandlerOptions flows(HandlerOptions options, JobHandler annotation, Object bean) {
		PayloadCodec codec = this.beanFactory.getBean(PayloadCodec.class);
		String skipIf = resolve(annotation.skipIf());
		if (!skipIf.isEmpty()) {
			PayloadExpression condition = new PayloadExpression(skipIf, codec);
			options = options.withMiddleware(new SkipIf(condition::test, "skipIf: " + skipIf));
		}
		String limiterName = resolve(annotation.rateLimiter());
		String limitKey = resolve(annotation.rateLimitKey());
		if (!limiterName.isEmpty()) {
			RateLimiter limiter = this.beanFactory.getBean(RateLimiters.class).get(limiterName);
			options = options.withMiddleware(limitKey.isEmpty() ? RateLimit.throttle(limiter)
					: RateLimit.perKey(limiter, new PayloadExpression(limitKey, codec)::key));
		}
		else if (!limitKey.isEmpty()) {
			throw new IllegalArgumentException("rateLimitKey needs a rateLimiter");
		}
		String overlapKey = resolve(annotation.withoutOverlapping());
		if (!overlapKey.isEmpty()) {
			options = options.withMiddleware(new WithoutOverlapping(new PayloadExpression(overlapKey, codec)::key));
		}
		for (String name : annotation.middleware()) {
			String resolved = resolve(name);
			if (!this.beanFactory.containsBean(resolved)) {
				throw new IllegalArgumentException("No JobMiddleware bean named '" + resolved + "'");
			}
			// Looked up when first used: the middleware may be declared by the handler's own configuration.
			options = options.withMiddleware(new LazyMiddleware(this.beanFactory, resolved));
		}
		String onFailed = resolve(annotation.onFailed());
		if (!onFailed.isEmpty()) {
			BeanHook hook = BeanHook.find(bean, onFailed, codec);
			options = options.withOnFailed(hook::failed);
		}
		String onTimedOut = resolve(annotation.onTimedOut());
		if (!onTimedOut.isEmpty()) {
			BeanHook hook = BeanHook.find(bean, onTimedOut, codec);
			options = options.withOnTimedOut((payload) -> hook.failed(null, payload));
		}
		return options;
	}

	/** A middleware bean looked up on first use. */
	private static final class LazyMiddleware implements JobMiddleware {

		private final BeanFactory beanFactory;

		private final String name;

		private volatile JobMiddleware bean;

		LazyMiddleware(BeanFactory beanFactory, String name) {
			this.beanFactory = beanFactory;
			this.name = name;
		}

		@Override
		public Object invoke(Invocation invocation) throws Exception {
			JobMiddleware middleware = this.bean;
			if (middleware == null) {
				middleware = this.beanFactory.getBean(this.name, JobMiddleware.class);
				this.bean = middleware;
			}
			return middleware.invoke(invocation);
		}

	}

	private BackOff backOff(Backoff backoff) {
		Duration delay = durationOr(backoff.delay(), Duration.ofSeconds(1));
		Duration maxDelay = durationOr(backoff.maxDelay(), Duration.ofHours(1));
		return switch (backoff.kind()) {
			case FIXED -> BackOff.fixed(delay);
			case LINEAR -> BackOff.linear(delay, durationOr(backoff.increment(), delay), maxDelay);
			case EXPONENTIAL, DEFAULT -> BackOff.exponential(delay,
					resolve(backoff.multiplier()).isEmpty() ? 2.0 : Double.parseDouble(resolve(backoff.multiplier())), maxDelay);
		};
	}

	private Duration durationOr(String value, Duration fallback) {
		String resolved = resolve(value);
		return resolved.isEmpty() ? fallback : duration(resolved, "back-off");
	}

	private static Duration duration(String value, String what) {
		try {
			return DurationStyle.detectAndParse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'" + value + "' is not a duration for the " + what
					+ " (write e.g. 500ms, 30s, 5m or PT1M)", ex);
		}
	}

	private String resolve(String value) {
		String resolved = this.beanFactory.resolveEmbeddedValue(value);
		return (resolved != null) ? resolved.trim() : "";
	}

	private static Method invocable(Method method, Object bean) {
		try {
			return AopUtils.selectInvocableMethod(method, bean.getClass());
		}
		catch (IllegalStateException ex) {
			throw new IllegalStateException("@JobHandler method " + method.getName() + " of "
					+ AopUtils.getTargetClass(bean).getName() + " cannot be called through the bean's JDK proxy: "
					+ "declare it on an interface the bean implements, or use class-based proxies "
					+ "(proxyTargetClass = true)", ex);
		}
	}

}
