package dev.jobqueue.spring.aot;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/** The resources the job queue loads by name at run time: its Lua scripts and the dashboard's assets. */
public class JobQueueRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		hints.resources().registerPattern("dev/jobqueue/**/*.lua");
		hints.resources().registerPattern("dev/jobqueue/spring/dashboard/*");
	}

}
