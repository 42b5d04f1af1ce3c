package dev.jobqueue.spring.container;

import java.util.List;

import dev.jobqueue.core.worker.Worker;

/**
 * One worker of this application: a queue (or a pool of queues in priority order) and the
 * concurrency it runs with. Not a bean: the {@link dev.jobqueue.spring.handler.JobHandlerEndpointRegistry}
 * creates, starts and stops every container with the application.
 */
public final class WorkerContainer {

	private final String name;

	private final Worker worker;

	public WorkerContainer(String name, Worker worker) {
		this.name = name;
		this.worker = worker;
	}

	public String name() {
		return this.name;
	}

	public List<String> queues() {
		return this.worker.queueNames();
	}

	public Worker worker() {
		return this.worker;
	}

	public boolean isRunning() {
		return this.worker.isRunning();
	}

}
