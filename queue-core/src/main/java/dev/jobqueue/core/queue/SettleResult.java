package dev.jobqueue.core.queue;

import java.util.List;

/**
 * What a {@link JobStore#settle} call did.
 *
 * @param settled per settlement, in order: {@code true} written, {@code false} refused because the lease is no
 * longer held (nothing was written for it)
 * @param cancelled per settlement, in order: {@code true} when it was written as cancelled instead, because
 * the job's cancel was requested meanwhile and its own outcome would have run it again
 * @param deadLettersTrimmed dead letters removed by the dead-letter retention while settling
 */
public record SettleResult(List<Boolean> settled, List<Boolean> cancelled, long deadLettersTrimmed) {
}
