package dev.jobqueue.core.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one lease call returned.
 *
 * @param jobs the leased jobs, in the order they should run
 * @param now the time on Redis's clock
 * @param nextDue when nothing was leased: how long until the next delayed job is due, or {@code null} for none
 */
public record LeaseBatch(List<LeasedJob> jobs, Instant now, Duration nextDue) {
}
