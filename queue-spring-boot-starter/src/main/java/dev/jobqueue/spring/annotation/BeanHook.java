package dev.jobqueue.spring.annotation;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;

import org.springframework.aop.support.AopUtils;
import org.springframework.util.ReflectionUtils;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.job.Job;

/**
 * A handler bean's hook method ({@code onFailed}, {@code onTimedOut}): its {@code Throwable} parameter gets the
 * error, a {@link Job} parameter the job, any other parameter the payload bound to its declared type.
 */
final class BeanHook {

	private final Object bean;

	private final Method method;

	private final PayloadCodec codec;

	private BeanHook(Object bean, Method method, PayloadCodec codec) {
		this.bean = bean;
		this.method = method;
		this.codec = codec;
	}

	static BeanHook find(Object bean, String name, PayloadCodec codec) {
		List<Method> found = Arrays.stream(ReflectionUtils.getUniqueDeclaredMethods(AopUtils.getTargetClass(bean)))
			.filter((method) -> method.getName().equals(name) && method.getParameterCount() <= 2)
			.toList();
		if (found.size() != 1) {
			throw new IllegalArgumentException("The hook method '" + name + "' must exist once on "
					+ AopUtils.getTargetClass(bean).getSimpleName() + " with at most two parameters (found " + found.size() + ")");
		}
		Method method = AopUtils.selectInvocableMethod(found.get(0), bean.getClass());
		ReflectionUtils.makeAccessible(method);
		return new BeanHook(bean, method, codec);
	}

	/** Calls the method; {@code payload} is the {@link Job} the worker ran. */
	void failed(Throwable error, Object payload) throws Exception {
		Job job = (Job) payload;
		Type[] types = this.method.getGenericParameterTypes();
		Object[] args = new Object[types.length];
		for (int i = 0; i < types.length; i++) {
			Class<?> type = this.method.getParameterTypes()[i];
			if (Throwable.class.isAssignableFrom(type)) {
				args[i] = error;
			}
			else if (type == Job.class) {
				args[i] = job;
			}
			else {
				args[i] = this.codec.read(job.payload(), types[i]);
			}
		}
		try {
			this.method.invoke(this.bean, args);
		}
		catch (InvocationTargetException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
	}

}
