package dev.jobqueue.spring.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.jobqueue.core.event.JobEvent;
import dev.jobqueue.core.flow.BatchStatus;
import dev.jobqueue.core.flow.ChainStatus;
import dev.jobqueue.core.flow.FlowBrowser;
import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobError;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.redis.CoordinationRegistry;
import dev.jobqueue.core.redis.CoordinationRegistry.Primitive;
import dev.jobqueue.core.monitor.JobPage;
import dev.jobqueue.core.monitor.MinuteCount;
import dev.jobqueue.core.monitor.RegisteredWorker;
import dev.jobqueue.core.queue.QueueStats;
import dev.jobqueue.core.schedule.ScheduleStatus;
import dev.jobqueue.spring.dashboard.DashboardData.Overview;
import dev.jobqueue.spring.dashboard.DashboardData.QueueRow;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders the dashboard's pages and the fragments that refresh them. Every value read from Redis or
 * from the request goes through {@link Html#text} or {@link Html#escape}; the pages run no inline
 * script (the assets come from the jar), so the content security policy can forbid it. Thread-safe.
 */
final class DashboardPages {

	static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'")
		.withZone(ZoneOffset.UTC);

	static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

	/** States in the order a job meets them, with what their time means. */
	static final List<JobState> STATES = List.of(JobState.PENDING, JobState.SCHEDULED, JobState.ACTIVE,
			JobState.RETRYING, JobState.COMPLETED, JobState.DEAD, JobState.CANCELLED, JobState.SKIPPED);

	private static final Map<JobState, String> TIME_LABELS = Map.of(JobState.PENDING, "", JobState.SCHEDULED, "Due",
			JobState.ACTIVE, "Lease until", JobState.RETRYING, "Next attempt", JobState.COMPLETED, "Finished",
			JobState.DEAD, "Died", JobState.CANCELLED, "Cancelled", JobState.SKIPPED, "Skipped");

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	/** Longest payload or result shown; a bigger one is cut, so that one job cannot make the page huge. */
	private static final int MAX_SHOWN = 256 * 1024;

	private final String base;

	private final long refreshSeconds;

	DashboardPages(String base, Duration refresh) {
		this.base = base;
		this.refreshSeconds = refresh.toSeconds();
	}

	/** What a page needs to know about the request and the user. */
	record Context(boolean canWrite, boolean readOnly, String csrfField, String notice) {
	}

	/** One queue's batches and chains on the flows page. */
	record FlowSection(String queue, long total, List<FlowBrowser.Entry> entries, int page, boolean paged) {
	}

	// ---- pages

	String overview(Context context, Overview overview) {
		Html html = start("Overview", context, null);
		overviewLive(html, overview);
		return end(html);
	}

	String overviewFragment(Overview overview) {
		Html html = new Html();
		overviewLive(html, overview);
		return html.toString();
	}

	String queue(Context context, QueueRow row, JobState state, JobPage page, List<JobInfo> jobs, boolean newestFirst,
			int pageNumber, int pageSize) {
		Html html = queueStart(context, row, state);
		jobList(html, context, row, state, page.total(), jobs, null, newestFirst);
		pager(html, row.name(), state, page.total(), page.hasNext(), newestFirst, pageNumber, pageSize);
		return end(html);
	}

	/**
	 * A sharded queue's page: its jobs merged from every shard ({@code shardOf} says where each is), the next page
	 * reached by the cursor {@code next} (per-shard offsets), not by number.
	 */
	String shardedQueue(Context context, QueueRow row, JobState state, long total, List<JobInfo> jobs,
			List<Integer> shardOf, boolean newestFirst, boolean first, String next) {
		Html html = queueStart(context, row, state);
		jobList(html, context, row, state, total, jobs, shardOf, newestFirst);
		html.raw("<nav class=\"pager\">");
		if (!first) {
			html.raw("<a rel=\"first\" href=\"").text(queueUrl(row.name(), state, 1, newestFirst)).raw("\">← First page</a>");
		}
		html.raw("<span>").text(total).raw(" jobs over ").text(row.shards().size()).raw(" shards · <a href=\"")
			.text(queueUrl(row.name(), state, 1, !newestFirst)).raw("\">")
			.text(newestFirst ? "show oldest first" : "show newest first").raw("</a></span>");
		if (next != null) {
			html.raw("<a rel=\"next\" href=\"").text(queueUrl(row.name(), state, 1, newestFirst) + "&from=" + next)
				.raw("\">Next →</a>");
		}
		html.raw("</nav>");
		return end(html);
	}

	private Html queueStart(Context context, QueueRow row, JobState state) {
		Html html = start(row.name(), context, row.name());
		html.raw("<div class=\"title\"><h1>Queue ").text(row.name()).raw("</h1>");
		if (context.canWrite()) {
			String action = row.paused() ? "resume" : "pause";
			html.raw("<form method=\"post\" action=\"").text(this.base + "/" + action).raw("\">")
				.raw(context.csrfField()).raw("<input type=\"hidden\" name=\"queue\" value=\"").text(row.name())
				.raw("\"><button class=\"button\" data-confirm=\"").text((row.paused() ? "Resume" : "Pause") + " queue " + row.name() + "?")
				.raw("\">").text(row.paused() ? "Resume" : "Pause").raw("</button></form>");
		}
		html.raw("</div>");
		queueLive(html, row, state);
		return html;
	}

	String queueFragment(QueueRow row, JobState state) {
		Html html = new Html();
		queueLive(html, row, state);
		return html.toString();
	}

	String job(Context context, String queue, JobInfo info, List<JobEvent> history) {
		Job job = info.job();
		Html html = start("Job " + info.id(), context, queue);
		html.raw("<div class=\"title\"><h1>Job <code>").text(info.id()).raw("</code></h1>")
			.raw(stateBadge(info.state())).raw("</div>");
		if (context.canWrite() && info.state() == JobState.DEAD) {
			html.raw("<div class=\"actions\">");
			deadForm(html, context, queue, "retry", "Retry", null, List.of(info.id()), "job");
			deadForm(html, context, queue, "delete", "Delete", "Delete job " + info.id() + " for good?", List.of(info.id()), null);
			html.raw("</div>");
		}
		html.raw("<dl class=\"facts\">");
		fact(html, "Queue", null).raw("<a href=\"").text(queueUrl(queue, info.state(), 1, true)).raw("\">").text(queue).raw("</a></dd>");
		if (job != null) {
			fact(html, "Type", job.type()).raw("</dd>");
			fact(html, "Created", TIME.format(job.createdAt())).raw("</dd>");
			fact(html, "Priority", job.priority()).raw("</dd>");
			fact(html, "Max retries", (job.maxRetries() != null) ? job.maxRetries() : "worker default").raw("</dd>");
			if (job.timeout() != null) {
				fact(html, "Timeout", job.timeout()).raw("</dd>");
			}
		}
		if (info.stateAt() != null) {
			fact(html, TIME_LABELS.getOrDefault(info.state(), "Since"), TIME.format(info.stateAt())).raw("</dd>");
		}
		fact(html, "Attempts", info.attempts()).raw("</dd>");
		fact(html, "Failures", info.failures()).raw("</dd>");
		fact(html, "Stalls", info.stalls()).raw("</dd>");
		if (info.progress() != null) {
			fact(html, "Progress", null).raw("<progress max=\"100\" value=\"").text(info.progress()).raw("\"></progress> ")
				.text(info.progress() + "%").raw("</dd>");
		}
		html.raw("</dl>");
		if (job != null && !job.metadata().isEmpty()) {
			html.raw("<h2>Metadata</h2><table class=\"meta\"><tbody>");
			job.metadata().forEach((key, value) -> html.raw("<tr>").tag("th", key).tag("td", value).raw("</tr>"));
			html.raw("</tbody></table>");
		}
		html.raw("<h2>Payload</h2>");
		if (job != null) {
			html.raw("<pre class=\"json\" id=\"payload\">").text(pretty(job.payload())).raw("</pre>");
		}
		else {
			html.raw("<p class=\"error\">The stored job data is corrupt and cannot be shown.</p>");
		}
		if (info.result() != null) {
			html.raw("<h2>Result</h2><pre class=\"json\" id=\"result\">").text(pretty(info.result())).raw("</pre>");
		}
		JobError error = info.lastError();
		if (error != null) {
			html.raw("<h2>Last error</h2><dl class=\"facts\">");
			fact(html, "Message", error.message()).raw("</dd>");
			fact(html, "Exception", error.exceptionType()).raw("</dd>");
			fact(html, "Worker", (error.workerId() != null) ? error.workerId() : "the queue").raw("</dd>");
			html.raw("</dl>");
			if (error.stackTrace() != null && !error.stackTrace().isEmpty()) {
				html.raw("<pre class=\"trace\" id=\"stack-trace\">").text(error.stackTrace()).raw("</pre>");
			}
		}
		html.raw("<h2>History</h2>");
		if (history == null || history.isEmpty()) {
			html.raw("<p class=\"hint\">").text((history == null) ? "The queues record no job events (jobqueue.events.mode=none)."
					: "No events recorded for this job (they are kept as long as the job).").raw("</p>");
		}
		else {
			html.raw("<table id=\"history\"><thead><tr><th>Time</th><th>Event</th><th>Attempt</th><th>Worker</th>"
					+ "<th>Duration</th><th>Error</th></tr></thead><tbody>");
			for (JobEvent event : history) {
				html.raw("<tr>").tag("td", EVENT_TIME.format(event.timestamp())).tag("td", event.kind())
					.tag("td", (event.attempt() != null) ? event.attempt() : "")
					.tag("td", (event.workerId() != null) ? event.workerId() : "")
					.tag("td", (event.durationMillis() != null) ? event.durationMillis() + " ms" : "")
					.tag("td", (event.error() != null) ? event.errorMessage() : "")
					.raw("</tr>");
			}
			html.raw("</tbody></table>");
		}
		return end(html);
	}

	String schedules(Context context, List<ScheduleStatus> schedules) {
		Html html = start("Schedules", context, null);
		html.raw("<h1>Schedules</h1>");
		if (context.notice() != null) {
			html.raw("<p class=\"notice\" role=\"status\">").text(context.notice()).raw("</p>");
		}
		html.raw("<div class=\"scroll\"><table class=\"schedules\"><thead><tr><th>Name</th><th>When</th><th>Job type</th>")
			.raw("<th>Queue</th><th>State</th><th>Last fire</th><th>Next fires</th>")
			.raw(context.canWrite() ? "<th>Actions</th>" : "").raw("</tr></thead><tbody>");
		for (ScheduleStatus schedule : schedules) {
			html.raw("<tr data-schedule=\"").text(schedule.name()).raw("\">").tag("td", schedule.name())
				.tag("td", schedule.description()).tag("td", schedule.jobType())
				.raw("<td><a href=\"").text(queueUrl(schedule.queue(), JobState.PENDING, 1, true)).raw("\">")
				.text(schedule.queue()).raw("</a></td><td>")
				.raw(schedule.paused() ? "<span class=\"badge paused\">paused</span>" : "<span class=\"badge running\">active</span>")
				.raw("</td>").tag("td", (schedule.lastFire() != null) ? TIME.format(schedule.lastFire()) : "never")
				.raw("<td class=\"fires\">");
			for (Instant fire : schedule.nextFires()) {
				html.text(TIME.format(fire)).raw("<br>");
			}
			html.raw("</td>");
			if (context.canWrite()) {
				html.raw("<td class=\"actions\">");
				scheduleForm(html, context, schedule.name(), "trigger", "Run now", "Enqueue a job of " + schedule.name() + " now?");
				if (schedule.paused()) {
					scheduleForm(html, context, schedule.name(), "resume", "Resume", null);
				}
				else {
					scheduleForm(html, context, schedule.name(), "pause", "Pause",
							"Pause " + schedule.name() + " on every node? Its fire times pass without jobs until resumed.");
				}
				html.raw("</td>");
			}
			html.raw("</tr>");
		}
		if (schedules.isEmpty()) {
			html.raw("<tr><td colspan=\"8\">No schedules in this application.</td></tr>");
		}
		html.raw("</tbody></table></div>");
		return end(html);
	}

	String flows(Context context, List<FlowSection> sections, String liveUrl, int pageSize) {
		Html html = start("Batches and chains", context, null);
		html.raw("<h1>Batches and chains</h1>");
		notice(html, context);
		flowsLive(html, sections, liveUrl, pageSize);
		return end(html);
	}

	String flowsFragment(List<FlowSection> sections, String liveUrl, int pageSize) {
		Html html = new Html();
		flowsLive(html, sections, liveUrl, pageSize);
		return html.toString();
	}

	private void flowsLive(Html html, List<FlowSection> sections, String liveUrl, int pageSize) {
		live(html, liveUrl);
		for (FlowSection section : sections) {
			html.raw("<h2>Queue <a href=\"").text(queueUrl(section.queue(), JobState.PENDING, 1, true)).raw("\">")
				.text(section.queue()).raw("</a> <span class=\"count\">").text(section.total()).raw("</span></h2>");
			html.raw("<div class=\"scroll\"><table class=\"flows\"><thead><tr><th>Id</th><th>Kind</th><th>Status</th>")
				.raw("<th>Progress</th><th>Dispatched</th></tr></thead><tbody>");
			for (FlowBrowser.Entry entry : section.entries()) {
				html.raw("<tr data-flow=\"").text(entry.id()).raw("\"><td><a href=\"").text(flowUrl(section.queue(), entry.id()))
					.raw("\"><code>").text(entry.id()).raw("</code></a></td>")
					.tag("td", (entry.batch() != null) ? "batch" : "chain").raw("<td>").raw(flowBadge(entry)).raw("</td><td>");
				progress(html, entry);
				html.raw("</td>").tag("td", TIME.format(entry.dispatchedAt())).raw("</tr>");
			}
			if (section.entries().isEmpty()) {
				html.raw("<tr><td colspan=\"5\">No batches or chains kept.</td></tr>");
			}
			html.raw("</tbody></table></div>");
			if (section.paged()) {
				html.raw("<nav class=\"pager\">");
				if (section.page() > 1) {
					html.raw("<a rel=\"prev\" href=\"").text(flowsUrl(section.queue(), section.page() - 1)).raw("\">← Previous</a>");
				}
				html.raw("<span>Page ").text(section.page()).raw("</span>");
				if ((long) section.page() * pageSize < section.total()) {
					html.raw("<a rel=\"next\" href=\"").text(flowsUrl(section.queue(), section.page() + 1)).raw("\">Next →</a>");
				}
				html.raw("</nav>");
			}
			else if (section.total() > section.entries().size()) {
				html.raw("<p><a href=\"").text(flowsUrl(section.queue(), 1)).raw("\">All of ").text(section.queue())
					.raw("'s batches and chains</a></p>");
			}
		}
		if (sections.isEmpty()) {
			html.raw("<p>No queue has batches or chains.</p>");
		}
		html.raw("</section>");
	}

	String flow(Context context, String queue, FlowBrowser.Entry entry, String liveUrl) {
		String kind = (entry.batch() != null) ? "Batch" : "Chain";
		Html html = start(kind + " " + entry.id(), context, queue);
		html.raw("<div class=\"title\"><h1>").text(kind).raw(" <code>").text(entry.id()).raw("</code></h1>");
		if (context.canWrite() && !entry.status().isFinished()) {
			html.raw("<form method=\"post\" action=\"").text(this.base + "/flow/cancel").raw("\">").raw(context.csrfField())
				.raw("<input type=\"hidden\" name=\"queue\" value=\"").text(queue)
				.raw("\"><input type=\"hidden\" name=\"id\" value=\"").text(entry.id())
				.raw("\"><button class=\"button danger\" id=\"cancel-flow\" data-confirm=\"")
				.text("Cancel " + kind.toLowerCase() + " " + entry.id() + "? Its waiting jobs are cancelled and running ones stopped.")
				.raw("\">Cancel</button></form>");
		}
		html.raw("</div>");
		notice(html, context);
		flowLive(html, queue, entry, liveUrl);
		return end(html);
	}

	String flowFragment(String queue, FlowBrowser.Entry entry, String liveUrl) {
		Html html = new Html();
		flowLive(html, queue, entry, liveUrl);
		return html.toString();
	}

	private void flowLive(Html html, String queue, FlowBrowser.Entry entry, String liveUrl) {
		live(html, liveUrl);
		html.raw("<dl class=\"facts\">");
		fact(html, "Queue", null).raw("<a href=\"").text(flowsUrl(queue, 1)).raw("\">").text(queue).raw("</a></dd>");
		fact(html, "Status", null).raw(flowBadge(entry)).raw("</dd>");
		fact(html, "Dispatched", TIME.format(entry.dispatchedAt())).raw("</dd>");
		fact(html, "Progress", null);
		progress(html, entry);
		html.raw("</dd>");
		BatchStatus batch = entry.batch();
		if (batch != null) {
			fact(html, "Members", batch.total()).raw("</dd>");
			fact(html, "Pending", batch.pending()).raw("</dd>");
			fact(html, "Successful", batch.successful()).raw("</dd>");
			fact(html, "Failed", batch.failed()).raw("</dd>");
			fact(html, "Cancelled", batch.cancelled()).raw("</dd>");
			fact(html, "Failures", batch.allowFailures() ? "allowed (runs to the end)" : "the first fails the batch").raw("</dd>");
			html.raw("</dl><p class=\"hint\">Member jobs have ids <code>").text(batch.id() + ":1").raw("</code> to <code>")
				.text(batch.id() + ":" + batch.total()).raw("</code>; search for one to open it.</p>");
		}
		else {
			ChainStatus chain = entry.chain();
			if (chain.failedStep() > 0) {
				fact(html, "Failed step", chain.failedStep()).raw("</dd>");
			}
			if (chain.error() != null) {
				fact(html, "Error", chain.error()).raw("</dd>");
			}
			html.raw("</dl><h2>Steps started</h2><ol class=\"steps\">");
			for (String id : chain.jobIds()) {
				html.raw("<li><a href=\"").text(jobUrl(queue, id)).raw("\"><code>").text(id).raw("</code></a></li>");
			}
			html.raw("</ol>");
		}
		html.raw("</section>");
	}

	String coordination(Context context, List<Primitive> primitives) {
		Html html = start("Locks and limiters", context, null);
		html.raw("<h1>Locks, semaphores, rate limiters and leaders</h1>");
		coordinationLive(html, primitives);
		return end(html);
	}

	String coordinationFragment(List<Primitive> primitives) {
		Html html = new Html();
		coordinationLive(html, primitives);
		return html.toString();
	}

	private void coordinationLive(Html html, List<Primitive> primitives) {
		live(html, coordinationUrl() + "/live");
		html.raw("<div class=\"scroll\"><table class=\"coordination\"><thead><tr><th>Kind</th><th>Name</th><th>Held by</th>")
			.raw("<th>Remaining</th><th>Held for</th><th>Settings</th></tr></thead><tbody>");
		for (Primitive primitive : primitives) {
			html.raw("<tr data-primitive=\"").text(primitive.name()).raw("\">").tag("td", primitive.kind().label())
				.raw("<td><code>").text(primitive.name()).raw("</code></td><td class=\"holders\">");
			if (primitive.holders().isEmpty() && primitive.kind() != CoordinationRegistry.Kind.RATE_LIMITER) {
				html.raw("<span class=\"badge\">free</span>");
			}
			for (String holder : primitive.holders()) {
				html.text(holder).raw("<br>");
			}
			html.raw("</td><td class=\"num\">");
			if (primitive.limit() >= 0) {
				html.text(primitive.remaining()).raw(" of ").text(primitive.limit());
			}
			html.raw("</td>").tag("td", (primitive.ttl() != null) ? seconds(primitive.ttl()) : "")
				.tag("td", primitive.settings()).raw("</tr>");
		}
		if (primitives.isEmpty()) {
			html.raw("<tr><td colspan=\"6\">None used yet: primitives are listed at their first use.</td></tr>");
		}
		html.raw("</tbody></table></div></section>");
	}

	private void live(Html html, String url) {
		html.raw("<section id=\"live\" hx-get=\"").text(url).raw("\" hx-trigger=\"every ").text(this.refreshSeconds)
			.raw("s\" hx-swap=\"outerHTML\">");
	}

	private void notice(Html html, Context context) {
		if (context.notice() != null) {
			html.raw("<p class=\"notice\" role=\"status\">").text(context.notice()).raw("</p>");
		}
	}

	private static void progress(Html html, FlowBrowser.Entry entry) {
		BatchStatus batch = entry.batch();
		if (batch != null) {
			long done = batch.total() - batch.pending();
			html.raw("<progress max=\"").text(Math.max(batch.total(), 1)).raw("\" value=\"").text(done).raw("\"></progress> ")
				.raw("<span class=\"progress-text\">").text(batch.successful() + " successful · " + batch.failed() + " failed · "
						+ batch.cancelled() + " cancelled · " + batch.pending() + " pending of " + batch.total())
				.raw("</span>");
		}
		else {
			ChainStatus chain = entry.chain();
			int done = entry.status().isFinished() ? chain.step() : Math.max(chain.step() - 1, 0);
			html.raw("<progress max=\"").text(chain.steps()).raw("\" value=\"").text(done).raw("\"></progress> ")
				.raw("<span class=\"progress-text\">").text("step " + chain.step() + " of " + chain.steps()).raw("</span>");
		}
	}

	private static String flowBadge(FlowBrowser.Entry entry) {
		String status = entry.status().name().toLowerCase();
		String style = switch (entry.status()) {
			case COMPLETED, SUCCEEDED -> "state-completed";
			case FAILED -> "state-dead";
			case RUNNING -> "running";
			default -> "";
		};
		return "<span class=\"badge " + style + "\">" + status + "</span>";
	}

	private static String seconds(Duration duration) {
		return (duration.toMillis() < 1000) ? duration.toMillis() + " ms" : duration.toSeconds() + " s";
	}

	private void scheduleForm(Html html, Context context, String name, String action, String label, String confirm) {
		html.raw("<form method=\"post\" action=\"").text(this.base + "/schedules/" + action).raw("\">")
			.raw(context.csrfField()).raw("<input type=\"hidden\" name=\"name\" value=\"").text(name)
			.raw("\"><button class=\"button\" data-action=\"").text(action).raw("\"");
		if (confirm != null) {
			html.raw(" data-confirm=\"").text(confirm).raw("\"");
		}
		html.raw(">").text(label).raw("</button></form>");
	}

	String notFound(Context context, String what) {
		Html html = start("Not found", context, null);
		html.raw("<h1>Not found</h1><p>").text(what).raw("</p>");
		return end(html);
	}

	String searchResults(Context context, String id, List<String> queues) {
		Html html = start("Search", context, null);
		html.raw("<h1>Job <code>").text(id).raw("</code></h1><p>Found in several queues:</p><ul>");
		for (String queue : queues) {
			html.raw("<li><a href=\"").text(jobUrl(queue, id)).raw("\">").text(queue).raw("</a></li>");
		}
		html.raw("</ul>");
		return end(html);
	}

	String problem(String title, String message) {
		Html html = start(title, new Context(false, false, "", null), null);
		html.raw("<h1>").text(title).raw("</h1><p class=\"error\">").text(message).raw("</p>");
		return end(html);
	}

	// ---- parts

	private void overviewLive(Html html, Overview overview) {
		html.raw("<section id=\"live\" hx-get=\"").text(this.base + "/live").raw("\" hx-trigger=\"every ")
			.text(this.refreshSeconds).raw("s\" hx-swap=\"outerHTML\">");
		html.raw("<h1>Queues</h1><div class=\"scroll\"><table class=\"queues\"><thead><tr><th>Queue</th>");
		for (JobState state : STATES) {
			html.tag("th", label(state));
		}
		html.raw("<th>Last hour</th><th>State</th></tr></thead><tbody>");
		for (QueueRow row : overview.queues()) {
			html.raw("<tr data-queue=\"").text(row.name()).raw("\"><td><a href=\"")
				.text(queueUrl(row.name(), JobState.PENDING, 1, true)).raw("\">").text(row.name()).raw("</a>")
				.raw(row.shards().isEmpty() ? "" : " <span class=\"badge\">" + row.shards().size() + " shards</span>")
				.raw("</td>");
			for (JobState state : STATES) {
				html.raw("<td class=\"num\" data-state=\"").text(state.id()).raw("\"><a href=\"")
					.text(queueUrl(row.name(), state, 1, true)).raw("\">").text(count(row.stats(), state)).raw("</a></td>");
			}
			html.raw("<td class=\"num\">").text(row.processedLastHour()).raw(" ok · ").text(row.failedLastHour())
				.raw(" failed</td><td>").raw(row.paused() ? "<span class=\"badge paused\">paused</span>"
						: "<span class=\"badge running\">running</span>")
				.raw("</td></tr>");
		}
		if (overview.queues().isEmpty()) {
			html.raw("<tr><td colspan=\"11\">No queues yet.</td></tr>");
		}
		html.raw("</tbody></table></div>");
		chart(html, "Processed and failed per minute, all queues, last hour", sum(overview.queues()));
		workers(html, overview.workers());
		asOf(html, overview.readAt());
		html.raw("</section>");
	}

	private void queueLive(Html html, QueueRow row, JobState state) {
		html.raw("<section id=\"live\" hx-get=\"").text(this.base + "/queue/live?name=" + Html.param(row.name())
				+ "&state=" + state.id()).raw("\" hx-trigger=\"every ").text(this.refreshSeconds)
			.raw("s\" hx-swap=\"outerHTML\">");
		if (row.paused()) {
			html.raw("<p class=\"notice\">This queue is paused: workers that honour the flag lease nothing from it.</p>");
		}
		html.raw("<nav class=\"tabs\">");
		for (JobState tab : STATES) {
			html.raw("<a data-state=\"").text(tab.id()).raw("\" href=\"").text(queueUrl(row.name(), tab, 1, true))
				.raw((tab == state) ? "\" class=\"current\">" : "\">").text(label(tab)).raw(" <b>")
				.text(count(row.stats(), tab)).raw("</b></a>");
		}
		html.raw("</nav>");
		if (!row.shards().isEmpty()) {
			html.raw("<div class=\"scroll\"><table class=\"shards\"><thead><tr><th>Shard</th>");
			for (JobState tab : STATES) {
				html.tag("th", label(tab));
			}
			html.raw("</tr></thead><tbody>");
			for (int i = 0; i < row.shards().size(); i++) {
				html.raw("<tr data-shard=\"").text(i + 1).raw("\"><td>").text(i + 1).raw("</td>");
				for (JobState tab : STATES) {
					html.raw("<td class=\"num\" data-state=\"").text(tab.id()).raw("\">").text(count(row.shards().get(i), tab))
						.raw("</td>");
				}
				html.raw("</tr>");
			}
			html.raw("</tbody></table></div>");
		}
		chart(html, "Processed and failed per minute, last hour", row.minutes());
		html.raw("</section>");
	}

	private void jobList(Html html, Context context, QueueRow row, JobState state, long total, List<JobInfo> jobs,
			List<Integer> shardOf, boolean newestFirst) {
		String queue = row.name();
		boolean dead = state == JobState.DEAD;
		boolean selectable = dead && context.canWrite();
		html.raw("<h2>").text(label(state)).raw(" jobs</h2>");
		if (context.notice() != null) {
			html.raw("<p class=\"notice\" role=\"status\">").text(context.notice()).raw("</p>");
		}
		if (dead && context.canWrite() && total > 0) {
			html.raw("<div class=\"actions\">");
			html.raw("<form method=\"post\" action=\"").text(this.base + "/dead/retry").raw("\">").raw(context.csrfField())
				.raw("<input type=\"hidden\" name=\"queue\" value=\"").text(queue)
				.raw("\"><input type=\"hidden\" name=\"all\" value=\"true\"><button class=\"button\" id=\"retry-all\" data-confirm=\"")
				.text("Put all " + total + " dead jobs of " + queue + " back to pending?").raw("\">Retry all</button></form>");
			html.raw("<form method=\"post\" action=\"").text(this.base + "/dead/purge").raw("\">").raw(context.csrfField())
				.raw("<input type=\"hidden\" name=\"queue\" value=\"").text(queue)
				.raw("\"><button class=\"button danger\" id=\"purge\" data-confirm=\"")
				.text("Delete all " + total + " dead jobs of " + queue + " for good?").raw("\">Purge all</button></form>");
			html.raw("</div>");
		}
		if (selectable) {
			html.raw("<form method=\"post\" id=\"selection\" action=\"").text(this.base + "/dead/retry").raw("\">")
				.raw(context.csrfField()).raw("<input type=\"hidden\" name=\"queue\" value=\"").text(queue).raw("\">");
		}
		html.raw("<div class=\"scroll\"><table class=\"jobs\"><thead><tr>");
		if (selectable) {
			html.raw("<th><input type=\"checkbox\" data-select-all aria-label=\"Select all on this page\"></th>");
		}
		html.raw((shardOf != null) ? "<th>Shard</th>" : "").raw("<th>Id</th><th>Type</th><th>Created</th><th>Attempts</th>");
		if (!TIME_LABELS.get(state).isEmpty()) {
			html.tag("th", TIME_LABELS.get(state));
		}
		html.raw((dead || state == JobState.RETRYING) ? "<th>Error</th>" : "").raw("<th>Payload</th></tr></thead><tbody>");
		for (int n = 0; n < jobs.size(); n++) {
			JobInfo info = jobs.get(n);
			Job job = info.job();
			html.raw("<tr data-job=\"").text(info.id()).raw("\">");
			if (shardOf != null) {
				html.raw("<td class=\"num\">").text(shardOf.get(n) + 1).raw("</td>");
			}
			if (selectable) {
				html.raw("<td><input type=\"checkbox\" name=\"id\" value=\"").text(info.id()).raw("\" aria-label=\"Select\"></td>");
			}
			html.raw("<td><a href=\"").text(jobUrl(queue, info.id())).raw("\"><code>").text(info.id()).raw("</code></a></td>");
			html.tag("td", (job != null) ? job.type() : "(corrupt)");
			html.tag("td", (job != null) ? TIME.format(job.createdAt()) : "");
			html.raw("<td class=\"num\">").text(info.attempts()).raw("</td>");
			if (!TIME_LABELS.get(state).isEmpty()) {
				html.tag("td", (info.stateAt() != null) ? TIME.format(info.stateAt()) : "");
			}
			if (dead || state == JobState.RETRYING) {
				html.raw("<td class=\"error\">").text(truncate((info.lastError() != null) ? info.lastError().message() : "", 160))
					.raw("</td>");
			}
			html.raw("<td><code class=\"preview\">").text(truncate((job != null) ? job.payload() : "", 120)).raw("</code></td></tr>");
		}
		if (jobs.isEmpty()) {
			html.raw("<tr><td colspan=\"8\">No ").text(label(state).toLowerCase()).raw(" jobs.</td></tr>");
		}
		html.raw("</tbody></table></div>");
		if (selectable) {
			html.raw("<div class=\"actions\"><button class=\"button\" id=\"retry-selected\">Retry selected</button>")
				.raw("<button class=\"button danger\" id=\"delete-selected\" formaction=\"").text(this.base + "/dead/delete")
				.raw("\" data-confirm=\"Delete the selected dead jobs for good?\">Delete selected</button></div></form>");
		}
	}

	private void pager(Html html, String queue, JobState state, long total, boolean hasNext, boolean newestFirst,
			int pageNumber, int pageSize) {
		long pages = Math.max(1, (total + pageSize - 1) / pageSize);
		html.raw("<nav class=\"pager\">");
		if (pageNumber > 1) {
			html.raw("<a rel=\"prev\" href=\"").text(queueUrl(queue, state, pageNumber - 1, newestFirst)).raw("\">← Previous</a>");
		}
		html.raw("<span>Page ").text(pageNumber).raw(" of ").text(pages).raw(" · ").text(total).raw(" jobs · ");
		html.raw("<a href=\"").text(queueUrl(queue, state, 1, !newestFirst)).raw("\">")
			.text(newestFirst ? "show oldest first" : "show newest first").raw("</a></span>");
		if (hasNext) {
			html.raw("<a rel=\"next\" href=\"").text(queueUrl(queue, state, pageNumber + 1, newestFirst)).raw("\">Next →</a>");
		}
		html.raw("</nav>");
	}

	private void deadForm(Html html, Context context, String queue, String action, String label, String confirm,
			List<String> ids, String back) {
		html.raw("<form method=\"post\" action=\"").text(this.base + "/dead/" + action).raw("\">").raw(context.csrfField())
			.raw("<input type=\"hidden\" name=\"queue\" value=\"").text(queue).raw("\">");
		for (String id : ids) {
			html.raw("<input type=\"hidden\" name=\"id\" value=\"").text(id).raw("\">");
		}
		if (back != null) {
			html.raw("<input type=\"hidden\" name=\"back\" value=\"").text(back).raw("\">");
		}
		html.raw("<button class=\"button").raw(action.equals("delete") ? " danger" : "").raw("\" id=\"").text(action)
			.raw("\"");
		if (confirm != null) {
			html.raw(" data-confirm=\"").text(confirm).raw("\"");
		}
		html.raw(">").text(label).raw("</button></form>");
	}

	private void chart(Html html, String title, List<MinuteCount> minutes) {
		StringBuilder t = new StringBuilder("[");
		StringBuilder processed = new StringBuilder("[");
		StringBuilder failed = new StringBuilder("[");
		for (int i = 0; i < minutes.size(); i++) {
			String comma = (i > 0) ? "," : "";
			t.append(comma).append(minutes.get(i).minute().getEpochSecond());
			processed.append(comma).append(minutes.get(i).processed());
			failed.append(comma).append(minutes.get(i).failed());
		}
		String data = "{\"t\":" + t + "],\"processed\":" + processed + "],\"failed\":" + failed + "]}";
		html.raw("<h2>").text(title).raw("</h2><div class=\"chart\" role=\"img\" aria-label=\"").text(title)
			.raw("\" data-chart=\"").text(data).raw("\"></div>");
	}

	private void workers(Html html, List<RegisteredWorker> workers) {
		html.raw("<h2>Workers <span class=\"count\">").text(workers.size()).raw("</span></h2>");
		html.raw("<div class=\"scroll\"><table class=\"workers\"><thead><tr><th>Id</th><th>Host</th><th>Queues</th>")
			.raw("<th>Concurrency</th><th>Busy</th><th>Last heartbeat</th><th>Started</th><th>Version</th></tr></thead><tbody>");
		for (RegisteredWorker worker : workers) {
			var info = worker.info();
			html.raw("<tr>").raw("<td><code>").text(info.id()).raw("</code></td>").tag("td", info.host())
				.tag("td", String.join(", ", info.queues()))
				.raw("<td class=\"num\">").text(info.concurrency()).raw("</td><td class=\"num\">").text(info.busy())
				.raw("</td>").tag("td", ago(worker.heartbeatAge()))
				.tag("td", (info.startedAt() != null) ? TIME.format(info.startedAt()) : "")
				.tag("td", info.version()).raw("</tr>");
		}
		if (workers.isEmpty()) {
			html.raw("<tr><td colspan=\"8\">No live worker has reported in the last heartbeats.</td></tr>");
		}
		html.raw("</tbody></table></div>");
	}

	private void asOf(Html html, Instant readAt) {
		html.raw("<p class=\"as-of\">Data as of ").text(CLOCK.format(readAt)).raw(" · refreshes every ")
			.text(this.refreshSeconds).raw(" s while this tab is visible</p>");
	}

	private Html start(String title, Context context, String queue) {
		Html html = new Html();
		html.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
			.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
			.raw("<meta name=\"htmx-config\" content='{\"allowEval\":false,\"allowScriptTags\":false,\"includeIndicatorStyles\":false}'>")
			.raw("<title>").text(title).raw(" · jobqueue</title>")
			.raw("<link rel=\"stylesheet\" href=\"").text(this.base + "/assets/uPlot.min.css").raw("\">")
			.raw("<link rel=\"stylesheet\" href=\"").text(this.base + "/assets/dashboard.css").raw("\">")
			.raw("<script defer src=\"").text(this.base + "/assets/htmx.min.js").raw("\"></script>")
			.raw("<script defer src=\"").text(this.base + "/assets/uPlot.iife.min.js").raw("\"></script>")
			.raw("<script defer src=\"").text(this.base + "/assets/dashboard.js").raw("\"></script>")
			.raw("</head><body><header><a class=\"brand\" href=\"").text(this.base).raw("\">jobqueue</a>");
		if (queue != null) {
			html.raw("<a class=\"crumb\" href=\"").text(queueUrl(queue, JobState.PENDING, 1, true)).raw("\">").text(queue)
				.raw("</a>");
		}
		html.raw("<nav class=\"links\"><a href=\"").text(schedulesUrl()).raw("\">Schedules</a><a href=\"")
			.text(flowsUrl(null, 1)).raw("\">Flows</a><a href=\"").text(coordinationUrl()).raw("\">Locks</a></nav>");
		html.raw("<form class=\"search\" method=\"get\" action=\"").text(this.base + "/search").raw("\">")
			.raw("<input name=\"id\" type=\"search\" placeholder=\"Job id\" aria-label=\"Job id\" maxlength=\"200\" required>")
			.raw("<button class=\"button\">Find</button></form>")
			.raw(context.readOnly() ? "<span class=\"badge\">read-only</span>" : "")
			.raw("</header><main>");
		return html;
	}

	private String end(Html html) {
		return html.raw("</main></body></html>").toString();
	}

	private Html fact(Html html, String name, Object value) {
		html.raw("<dt>").text(name).raw("</dt><dd>");
		if (value != null) {
			html.text(value);
		}
		return html;
	}

	String queueUrl(String queue, JobState state, long page, boolean newestFirst) {
		return this.base + "/queue?name=" + Html.param(queue) + "&state=" + state.id()
				+ ((page > 1) ? "&page=" + page : "") + (newestFirst ? "" : "&order=oldest");
	}

	String flowsUrl(String queue, int page) {
		return flowsUrl("/flows", queue, page);
	}

	/** {@code route} is {@code /flows} or its fragment {@code /flows/live}. */
	String flowsUrl(String route, String queue, int page) {
		return this.base + route + ((queue != null) ? "?queue=" + Html.param(queue) + "&page=" + page : "");
	}

	String flowUrl(String queue, String id) {
		return flowUrl("/flow", queue, id);
	}

	/** {@code route} is {@code /flow} or its fragment {@code /flow/live}. */
	String flowUrl(String route, String queue, String id) {
		return this.base + route + "?queue=" + Html.param(queue) + "&id=" + Html.param(id);
	}

	String coordinationUrl() {
		return this.base + "/coordination";
	}

	String schedulesUrl() {
		return this.base + "/schedules";
	}

	String jobUrl(String queue, String id) {
		return this.base + "/job?queue=" + Html.param(queue) + "&id=" + Html.param(id);
	}

	private static String stateBadge(JobState state) {
		return "<span class=\"badge state-" + state.id() + "\">" + state.id() + "</span>";
	}

	static String label(JobState state) {
		String id = state.id();
		return Character.toUpperCase(id.charAt(0)) + id.substring(1);
	}

	static long count(QueueStats stats, JobState state) {
		return switch (state) {
			case PENDING -> stats.pending();
			case SCHEDULED -> stats.scheduled();
			case ACTIVE -> stats.active();
			case RETRYING -> stats.retrying();
			case COMPLETED -> stats.completed();
			case DEAD -> stats.dead();
			case CANCELLED -> stats.cancelled();
			case SKIPPED -> stats.skipped();
			case UNKNOWN -> 0;
		};
	}

	private static List<MinuteCount> sum(List<QueueRow> rows) {
		if (rows.isEmpty()) {
			return List.of();
		}
		List<MinuteCount> first = rows.get(0).minutes();
		return IntStream.range(0, first.size()).mapToObj((i) -> {
			long processed = 0;
			long failed = 0;
			for (QueueRow row : rows) {
				if (i < row.minutes().size()) {
					processed += row.minutes().get(i).processed();
					failed += row.minutes().get(i).failed();
				}
			}
			return new MinuteCount(first.get(i).minute(), processed, failed);
		}).toList();
	}

	private static String ago(Duration age) {
		long seconds = age.toSeconds();
		return (seconds < 1) ? "just now" : seconds + " s ago";
	}

	private static String truncate(String text, int max) {
		if (text == null) {
			return "";
		}
		String line = text.replace('\n', ' ');
		return (line.length() <= max) ? line : line.substring(0, max) + "…";
	}

	/** Payloads and results indented for reading; text that is not JSON is shown as it is. */
	static String pretty(String json) {
		if (json.length() > MAX_SHOWN) {
			return json.substring(0, MAX_SHOWN) + "\n… (" + json.length() + " characters in all; cut here)";
		}
		try {
			return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json));
		}
		catch (JacksonException ex) {
			return json;
		}
	}

}
