package dev.jobqueue.spring.test;

import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/** Clears the {@link JobQueueTester}'s recordings after each test method, so tests sharing a context do not see each other's dispatches. */
public class JobQueueTesterResetListener extends AbstractTestExecutionListener {

	@Override
	public int getOrder() {
		return LOWEST_PRECEDENCE - 100;
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		if (testContext.hasApplicationContext()) {
			testContext.getApplicationContext().getBeanProvider(JobQueueTester.class).ifAvailable(JobQueueTester::clear);
		}
	}

}
