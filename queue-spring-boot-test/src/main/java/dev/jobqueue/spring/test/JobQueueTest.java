package dev.jobqueue.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;

/**
 * A test of an application's jobs: the whole application context ({@code @SpringBootTest}: handlers are
 * ordinary beans that use the rest of the application, so a slice would leave them without what they
 * need) on a local {@code redis-server}, with the {@link AutoConfigureJobQueue test kit}. Inject a
 * {@link JobQueueTester}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest
@AutoConfigureJobQueue
public @interface JobQueueTest {

	/** Properties to add to the test's environment, {@code key=value}. */
	@AliasFor(annotation = SpringBootTest.class, attribute = "properties")
	String[] properties() default {};

	/** The configuration classes of the context; by default the {@code @SpringBootConfiguration} found up the package tree. */
	@AliasFor(annotation = SpringBootTest.class, attribute = "classes")
	Class<?>[] classes() default {};

	/** Whether the application's workers run in the background during the test. */
	@AliasFor(annotation = AutoConfigureJobQueue.class, attribute = "workers")
	boolean workers() default false;

	/** What a dispatch does besides being recorded. */
	@AliasFor(annotation = AutoConfigureJobQueue.class, attribute = "dispatchMode")
	DispatchMode dispatchMode() default DispatchMode.RECORD;

}
