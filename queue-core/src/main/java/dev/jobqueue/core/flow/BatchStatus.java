package dev.jobqueue.core.flow;

/**
 * A batch as Redis knows it now. {@code successful + failed + cancelled + pending == total}.
 *
 * @param id the batch's id
 * @param status where it is
 * @param total members
 * @param pending members not finished yet
 * @param successful members that completed or were skipped
 * @param failed members that died
 * @param cancelled members cancelled (by a cancel, or by the batch's failure)
 * @param allowFailures whether a dead member lets the others run to the end
 */
public record BatchStatus(String id, FlowStatus status, long total, long pending, long successful, long failed,
		long cancelled, boolean allowFailures) {
}
