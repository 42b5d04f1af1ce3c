package dev.jobqueue.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks a bean method as the handler of one job type. The method may take the payload (bound from
 * JSON to the parameter's declared type, generics included), a
 * {@link dev.jobqueue.core.job.JobContext}, both, or neither. Throwing fails the attempt; a return
 * value is stored as the job's result. String attributes accept {@code ${...}} placeholders.
 * Delivery is at least once: make handlers idempotent (the context tells the attempt number).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface JobHandler {

	/** The job type, e.g. {@code "send_email"}. */
	@AliasFor("type")
	String value() default "";

	/** The job type, e.g. {@code "send_email"}. */
	@AliasFor("value")
	String type() default "";

	/** The queue jobs of this type are dispatched to unless a dispatch says otherwise; {@code jobqueue.default-queue} when empty. */
	String queue() default "";

	/** Retries after the first failure, e.g. {@code "5"}; {@code jobqueue.jobs.max-retries} when empty. */
	String maxRetries() default "";

	/** Longest time one attempt may run, e.g. {@code "30s"}; {@code jobqueue.jobs.timeout} when empty. */
	String timeout() default "";

	/** Delays between retries; {@code jobqueue.jobs.backoff} when not given. */
	Backoff backoff() default @Backoff;

	/**
	 * A SpEL condition over the payload's fields (a JSON object), e.g. {@code "dryRun == true"}: jobs it holds for
	 * end {@code skipped} without running. Evaluated first.
	 */
	String skipIf() default "";

	/**
	 * A rate limiter, declared under {@code jobqueue.rate-limiters.<name>}, every job of this type must pass: over
	 * the limit a job goes back to scheduled for the limiter's retry-after, without a failed attempt.
	 */
	String rateLimiter() default "";

	/** A SpEL key over the payload, e.g. {@code "tenantId"}: one limit per key of {@link #rateLimiter()}; one for all when empty. */
	String rateLimitKey() default "";

	/** A SpEL key over the payload, e.g. {@code "accountId"}: jobs with the same key never run at the same time. */
	String withoutOverlapping() default "";

	/** Names of {@link dev.jobqueue.core.middleware.JobMiddleware} beans run around the handler, first outermost, inside the above. */
	String[] middleware() default {};

	/**
	 * A method of this bean called once a job of this type was dead-lettered after its last attempt; it may take
	 * the {@code Throwable} and the payload, in any order. What it throws is logged only.
	 */
	String onFailed() default "";

	/** A method of this bean called when an attempt ran past its timeout; it may take the payload. */
	String onTimedOut() default "";

}
