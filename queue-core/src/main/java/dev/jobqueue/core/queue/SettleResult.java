package dev.jobqueue.core.queue;

import java.util.List;

/**
 * What a {@link JobStore#settle} call did.
 *
 * @param settled per settlement, in order: {@code true} written, {@code false} refused because the lease is no
 * longer held (nothing was written for it)
 * @param deadLettersTrimmed dead letters removed by the dead-letter retention while settling
 */
public record SettleResult(List<Boolean> settled, long deadLettersTrimmed) {
}
