package dev.jobqueue.spring.coordination;

import java.util.Map;

import dev.jobqueue.core.limit.Semaphore;

/** The semaphores declared under {@code jobqueue.semaphores}, by name. Thread-safe. */
public class Semaphores extends Named<Semaphore> {

	public Semaphores(Map<String, Semaphore> semaphores) {
		super("semaphore", "jobqueue.semaphores", semaphores);
	}

}
