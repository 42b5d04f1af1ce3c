package dev.jobqueue.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Adds the job queue test kit to a test's application context: a local {@code redis-server} on a free
 * port as the context's Redis connection details (unless the test brings its own, e.g. a Testcontainers
 * {@code @ServiceConnection}), a {@link RecordingJobDispatcher} around the application's dispatcher, and
 * a {@link JobQueueTester}. The context's workers do not run unless {@link #workers()} says so, so what
 * a test dispatches waits for {@link JobQueueTester#drain(String)} instead of racing it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@PropertyMapping("jobqueue")
public @interface AutoConfigureJobQueue {

	/** Whether the application's workers run in the background during the test. */
	@PropertyMapping("worker.enabled")
	boolean workers() default false;

	/** What a dispatch does besides being recorded. */
	@PropertyMapping("test.dispatch-mode")
	DispatchMode dispatchMode() default DispatchMode.RECORD;

}
