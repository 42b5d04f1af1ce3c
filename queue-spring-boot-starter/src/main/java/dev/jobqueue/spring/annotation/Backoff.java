package dev.jobqueue.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Delays between retries of a {@link JobHandler}'s jobs. Durations are written like {@code "500ms"} or {@code "PT1M"}. */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Backoff {

	/** The kind; {@link Kind#DEFAULT} keeps {@code jobqueue.jobs.backoff}. */
	Kind kind() default Kind.DEFAULT;

	/** First delay (exponential, linear) or the delay (fixed). */
	String delay() default "";

	/** Longest delay. */
	String maxDelay() default "";

	/** Growth per retry of an exponential back-off, e.g. {@code "2"}. */
	String multiplier() default "";

	/** Growth per retry of a linear back-off, e.g. {@code "10s"}. */
	String increment() default "";

	/** Kinds of back-off. */
	enum Kind {

		DEFAULT, FIXED, LINEAR, EXPONENTIAL

	}

}
