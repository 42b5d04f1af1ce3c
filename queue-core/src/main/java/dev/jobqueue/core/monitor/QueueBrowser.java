package dev.jobqueue.core.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.queue.QueueKeys;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.redis.RedisScript;

/**
 * Reads a queue's jobs state by state, a page at a time, without writing anything: the cost of a
 * page is the page (ranks in sorted sets, ranges of the pending list), never a walk over the whole
 * state, except that pending jobs far from either end of the list cost their distance to it.
 * Thread-safe.
 *
 * <p>Order: finished, active, scheduled and retrying jobs by the time their state is sorted by
 * (newest first = latest finish, lease deadline or due time first). Pending jobs in reverse running
 * order (newest first = the job that would run last first), which for jobs of one priority is the
 * newest enqueued first. {@link JobState#UNKNOWN} cannot be browsed.
 */
public final class QueueBrowser {

	/** Most entries one page may hold. */
	public static final int MAX_PAGE = 500;

	private static final RedisScript BROWSE = RedisScript.load(QueueBrowser.class, "browse");

	/** The zset that holds each state but pending, named as in {@code QueueKeys}. */
	private static final Map<JobState, String> SETS = Map.of(JobState.SCHEDULED, "scheduled", JobState.RETRYING,
			"retry", JobState.ACTIVE, "active", JobState.COMPLETED, "completed", JobState.CANCELLED, "cancelled",
			JobState.SKIPPED, "skipped", JobState.DEAD, "dead");

	private final RedisJobQueue queue;

	public QueueBrowser(RedisJobQueue queue) {
		this.queue = queue;
	}

	public RedisJobQueue queue() {
		return this.queue;
	}

	/** Up to {@code limit} jobs in {@code state} from rank {@code offset}, newest first or oldest first. */
	public JobPage page(JobState state, long offset, int limit, boolean newestFirst) {
		if (offset < 0) {
			throw new IllegalArgumentException("offset must be zero or positive");
		}
		if (limit < 1 || limit > MAX_PAGE) {
			throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE);
		}
		if (state != JobState.PENDING && !SETS.containsKey(state)) {
			throw new IllegalArgumentException("Jobs in state " + state + " cannot be browsed");
		}
		QueueKeys keys = this.queue.keys();
		List<String> scriptKeys = new ArrayList<>(keys.forScript(BROWSE));
		if (state != JobState.PENDING) {
			scriptKeys.add(keys.key(SETS.get(state)));
		}
		List<?> reply = (List<?>) BROWSE.run(this.queue.redis(), scriptKeys,
				List.of(state.id(), String.valueOf(offset), String.valueOf(limit), newestFirst ? "desc" : "asc"));
		long total = Long.parseLong(String.valueOf(reply.get(0)));
		List<JobPage.Entry> entries = new ArrayList<>((reply.size() - 1) / 2);
		for (int i = 1; i + 1 < reply.size(); i += 2) {
			long at = Long.parseLong(String.valueOf(reply.get(i + 1)));
			entries.add(new JobPage.Entry((String) reply.get(i), (at < 0) ? null : Instant.ofEpochMilli(at)));
		}
		return new JobPage(state, total, offset, entries);
	}

}
