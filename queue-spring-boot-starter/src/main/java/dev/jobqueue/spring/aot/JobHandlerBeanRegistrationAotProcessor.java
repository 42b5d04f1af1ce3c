package dev.jobqueue.spring.aot;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.spring.annotation.JobHandler;

/**
 * Ahead of time, for every bean with {@code @JobHandler} methods: the methods may be invoked reflectively, and
 * their payload and result types may be bound from and written to JSON, so the application runs as a native image.
 */
class JobHandlerBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

	/** Parameters the worker supplies itself, not bound from JSON. */
	private static final Set<Class<?>> SUPPLIED = Set.of(JobContext.class, Job.class);

	@Override
	public BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> beanClass = registeredBean.getBeanClass();
		Map<Method, JobHandler> handlers = MethodIntrospector.selectMethods(beanClass,
				(MethodIntrospector.MetadataLookup<JobHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, JobHandler.class));
		if (handlers.isEmpty()) {
			return null;
		}
		return (generationContext, code) -> {
			ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
			BindingReflectionHintsRegistrar binding = new BindingReflectionHintsRegistrar();
			for (Method method : handlers.keySet()) {
				reflection.registerMethod(method, ExecutableMode.INVOKE);
				Type[] parameters = method.getGenericParameterTypes();
				for (int i = 0; i < parameters.length; i++) {
					if (!SUPPLIED.contains(method.getParameterTypes()[i])) {
						binding.registerReflectionHints(reflection, parameters[i]);
					}
				}
				if (method.getReturnType() != void.class) {
					binding.registerReflectionHints(reflection, method.getGenericReturnType());
				}
			}
		};
	}

}
