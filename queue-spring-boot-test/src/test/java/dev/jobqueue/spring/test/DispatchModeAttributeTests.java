package dev.jobqueue.spring.test;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.test.KitTestApplication.Handlers;
import dev.jobqueue.spring.test.KitTestApplication.Order;

import static org.assertj.core.api.Assertions.assertThat;

/** The annotation's attributes set the class's dispatch mode and whether workers run. */
@JobQueueTest(classes = KitTestApplication.class, dispatchMode = DispatchMode.INLINE,
		properties = "jobqueue.queues.billing.concurrency=1")
class DispatchModeAttributeTests {

	@Autowired
	JobDispatcher dispatcher;

	@Autowired
	JobQueueTester jobs;

	@Autowired
	Handlers handlers;

	@Autowired
	Environment environment;

	@Test
	void aDispatchRunsTheHandlerInlineAndWorkersStayOff() {
		this.dispatcher.dispatch("invoice", new Order("m-1", 2));

		assertThat(this.handlers.invoiced).contains(new Order("m-1", 2));
		this.jobs.dispatched().hasDispatched("invoice").times(1);
		assertThat(this.environment.getProperty("jobqueue.worker.enabled")).isEqualTo("false");
	}

}
