package dev.jobqueue.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.jobqueue.core.schedule.MisfirePolicy;

/**
 * Runs a {@link JobHandler} method on a schedule: at each fire time one job of the handler's type is
 * enqueued on its queue, exactly once across all nodes. Give {@link #cron()} or {@link #every()}.
 * String attributes accept {@code ${...}} placeholders.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface JobSchedule {

	/** The schedule's name; the job type when empty. */
	String name() default "";

	/** Cron expression: 5 fields, or 6 with seconds first, e.g. {@code "0 0 3 * * *"}. */
	String cron() default "";

	/** Fixed interval instead of a cron expression, e.g. {@code "15m"}. */
	String every() default "";

	/** Time zone of the cron expression. */
	String zone() default "UTC";

	/** Payload of every job, as JSON; none means an empty object. */
	String payload() default "";

	/** What to do with fire times missed while no node ran. */
	MisfirePolicy misfire() default MisfirePolicy.FIRE_ONCE;

}
