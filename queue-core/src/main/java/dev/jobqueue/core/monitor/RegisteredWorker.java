package dev.jobqueue.core.monitor;

import java.time.Duration;
import java.time.Instant;

/**
 * A live worker as the {@link WorkerRegistry} last heard from it.
 *
 * @param info what the worker reported; {@code null} fields when its entry could not be read
 * @param lastHeartbeat when it last reported, by Redis's clock
 * @param heartbeatAge how long ago that was, by Redis's clock
 */
public record RegisteredWorker(WorkerInfo info, Instant lastHeartbeat, Duration heartbeatAge) {
}
