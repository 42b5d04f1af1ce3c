package dev.jobqueue.core.monitor;

import dev.jobqueue.core.queue.QueueKeys;

/**
 * Keys the monitoring classes add beside a queue's own ({@link QueueKeys}), under the same prefix:
 * per queue {@code <prefix>:{<queue>}:throughput} and {@code :paused}, sharing the queue's hash tag;
 * for the whole installation {@code <prefix>:{registry}:workers | worker-info | worker-seen | queues}.
 */
final class MonitorKeys {

	private MonitorKeys() {
	}

	static String ofQueue(String prefix, String queue, String part) {
		return QueueKeys.of(prefix, queue).custom(part);
	}

	static String ofRegistry(String prefix, String part) {
		return ofQueue(prefix, "registry", part);
	}

}
