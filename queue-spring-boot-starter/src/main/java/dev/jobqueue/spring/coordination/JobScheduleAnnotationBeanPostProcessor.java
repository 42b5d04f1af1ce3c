package dev.jobqueue.spring.coordination;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

import dev.jobqueue.spring.annotation.JobHandler;
import dev.jobqueue.spring.annotation.JobSchedule;

/** Finds {@link JobSchedule} methods and keeps them as schedule declarations for {@link ScheduleRegistrar}. */
public class JobScheduleAnnotationBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware {

	private final List<ScheduleDeclaration> declarations = new CopyOnWriteArrayList<>();

	private ConfigurableBeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (beanFactory instanceof ConfigurableBeanFactory configurable) ? configurable : null;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> type = AopUtils.getTargetClass(bean);
		Map<Method, JobSchedule> methods = MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<JobSchedule>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, JobSchedule.class));
		methods.forEach((method, schedule) -> {
			JobHandler handler = AnnotatedElementUtils.findMergedAnnotation(method, JobHandler.class);
			if (handler == null) {
				throw new IllegalStateException("@JobSchedule on " + method + " needs @JobHandler on the same method");
			}
			String jobType = resolve(handler.value().isEmpty() ? handler.type() : handler.value());
			String name = resolve(schedule.name());
			String every = resolve(schedule.every());
			this.declarations.add(new ScheduleDeclaration(name.isEmpty() ? jobType : name, emptyToNull(resolve(schedule.cron())),
					every.isEmpty() ? null : DurationStyle.detectAndParse(every), jobType,
					emptyToNull(resolve(schedule.payload())), emptyToNull(resolve(handler.queue())),
					resolve(schedule.zone()), schedule.misfire(), method.toString()));
		});
		return bean;
	}

	/** The schedules declared on handler methods so far. */
	public List<ScheduleDeclaration> declarations() {
		return List.copyOf(this.declarations);
	}

	private String resolve(String value) {
		return (this.beanFactory != null && value != null) ? this.beanFactory.resolveEmbeddedValue(value) : value;
	}

	private static String emptyToNull(String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

	/** A schedule as declared in properties or on a method, before it is checked. */
	public record ScheduleDeclaration(String name, String cron, Duration every, String jobType, String payload,
			String queue, String zone, dev.jobqueue.core.schedule.MisfirePolicy misfire, String source) {
	}

}
