package dev.jobqueue.core.flow;

import java.util.List;

/**
 * A chain as Redis knows it now.
 *
 * @param id the chain's id
 * @param status where it is
 * @param step the step running or last run (1 for the first; 0 before it starts)
 * @param steps how many steps it has
 * @param failedStep the step that died or was cancelled, or 0
 * @param error why that step died (the last error's message), or {@code null}
 * @param jobIds the ids of the steps started so far, in order (a batch step's id is the batch's)
 */
public record ChainStatus(String id, FlowStatus status, int step, int steps, int failedStep, String error,
		List<String> jobIds) {

	public ChainStatus {
		jobIds = List.copyOf(jobIds);
	}

}
