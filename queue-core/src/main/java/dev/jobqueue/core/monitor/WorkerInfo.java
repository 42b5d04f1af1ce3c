package dev.jobqueue.core.monitor;

import java.time.Instant;
import java.util.List;

/**
 * What a worker says about itself in the {@link WorkerRegistry}.
 *
 * @param id the worker's id, unique among live workers
 * @param host the host name it runs on
 * @param pid its process id
 * @param queues the queues it takes jobs from, in order
 * @param concurrency how many jobs it runs at once at most
 * @param busy how many jobs it was running when it last reported
 * @param startedAt when it started, by its own clock (for display only)
 * @param version the jobqueue version it runs
 */
public record WorkerInfo(String id, String host, long pid, List<String> queues, int concurrency, int busy,
		Instant startedAt, String version) {

	public WorkerInfo {
		if (id == null || id.isBlank()) {
			throw new IllegalArgumentException("A worker needs an id");
		}
		queues = List.copyOf(queues);
	}

}
