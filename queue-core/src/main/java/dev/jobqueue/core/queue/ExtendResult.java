package dev.jobqueue.core.queue;

import java.util.Set;

/**
 * What a heartbeat found.
 *
 * @param lost ids whose lease is no longer held: their attempts must stop and write nothing
 * @param cancelled ids still leased whose cancel was requested: their attempts must stop and settle as cancelled
 */
public record ExtendResult(Set<String> lost, Set<String> cancelled) {
}
