package dev.jobqueue.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.jobqueue.spring.handler.JobHandlerDefinitionException;

/** Reports a {@code @JobHandler} that cannot run as written: what is wrong with which method, and the fix. */
class JobHandlerDefinitionFailureAnalyzer extends AbstractFailureAnalyzer<JobHandlerDefinitionException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, JobHandlerDefinitionException cause) {
		return new FailureAnalysis(cause.getDescription(), cause.getAction(), cause);
	}

}
