package dev.jobqueue.spring.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.HttpRequestHandler;
import redis.clients.jedis.exceptions.JedisException;

import dev.jobqueue.core.dlq.DeadLetterQueue;
import dev.jobqueue.core.flow.FlowBrowser;
import dev.jobqueue.core.job.JobInfo;
import dev.jobqueue.core.job.JobState;
import dev.jobqueue.core.monitor.JobPage;
import dev.jobqueue.core.monitor.ShardedBrowser;
import dev.jobqueue.core.queue.CancelResult;
import dev.jobqueue.core.queue.JobQueue;
import dev.jobqueue.core.queue.RedisJobQueue;
import dev.jobqueue.core.schedule.Scheduler;
import dev.jobqueue.core.shard.ShardedQueue;
import dev.jobqueue.spring.dashboard.DashboardPages.Context;

/**
 * Serves the dashboard under its path: GET pages and the fragments that refresh them, POST write
 * actions (303 back to a page; 403 when read-only, for a user without the operator role, or for a
 * cross-site request) and the assets. Parameters are checked against fixed sets and bounds; an
 * unknown queue or job is 404, Redis unreachable 503. Thread-safe.
 */
public class DashboardHandler implements HttpRequestHandler {

	private static final Logger logger = LoggerFactory.getLogger(DashboardHandler.class);

	/** Most jobs one "selected" action takes. */
	static final int MAX_SELECTED = 1000;

	/** Deepest page offered; deeper pages of a pending list would walk a long list. */
	static final int MAX_PAGE_NUMBER = 100_000;

	private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
			+ "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

	private static final Map<String, String> NOTICES = Map.of("retried", "%d job(s) put back to pending.", "deleted",
			"%d job(s) deleted.", "purged", "%d dead job(s) deleted.", "paused", "Queue paused.", "resumed",
			"Queue resumed.", "trigger", "Schedule run: %d job enqueued now.", "pause", "Schedule paused.", "resume",
			"Schedule resumed.", "cancelled", "Cancel requested: waiting jobs are cancelled, running ones stop at their next heartbeat.");

	private final String base;

	private final DashboardData data;

	private final DashboardAccess access;

	private final DashboardAssets assets = new DashboardAssets();

	private final int pageSize;

	private final Duration refresh;

	public DashboardHandler(String base, DashboardData data, DashboardAccess access, Duration refresh,
			int pageSize) {
		this.base = base;
		this.data = data;
		this.access = access;
		this.refresh = refresh;
		this.pageSize = pageSize;
	}

	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		String route = path.startsWith(this.base) ? path.substring(this.base.length()) : path;
		if (route.startsWith("/assets/") && "GET".equals(request.getMethod())) {
			asset(route.substring("/assets/".length()), response);
			return;
		}
		securityHeaders(response);
		// Links carry the servlet context path, known per request.
		DashboardPages pages = new DashboardPages(request.getContextPath() + this.base, this.refresh);
		if (!this.access.canView(request)) {
			boolean anonymous = request.getUserPrincipal() == null;
			page(response, anonymous ? 401 : 403, pages.problem(anonymous ? "Sign in needed" : "Not allowed",
					"Seeing the job dashboard needs the viewer or operator role."));
			return;
		}
		try {
			if ("POST".equals(request.getMethod())) {
				write(route, request, response, pages);
			}
			else if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
				read(route, request, response, pages);
			}
			else {
				response.setHeader("Allow", "GET, HEAD, POST");
				page(response, 405, pages.problem("Method not allowed", request.getMethod()));
			}
		}
		catch (BadRequest ex) {
			String title = switch (ex.status) {
				case 403 -> "Not allowed";
				case 404 -> "Not found";
				default -> "Bad request";
			};
			page(response, ex.status, pages.problem(title, ex.getMessage()));
		}
		catch (IllegalArgumentException ex) {
			page(response, 400, pages.problem("Bad request", ex.getMessage()));
		}
		catch (JedisException ex) {
			logger.warn("The dashboard could not read Redis: {}", ex.getMessage());
			page(response, 503, pages.problem("Redis unreachable", "Redis could not be reached: " + ex.getMessage()));
		}
	}

	private void read(String route, HttpServletRequest request, HttpServletResponse response, DashboardPages pages)
			throws IOException {
		Context context = context(request);
		switch (route) {
			case "", "/" -> page(response, 200, pages.overview(context, this.data.overview()));
			case "/live" -> page(response, 200, pages.overviewFragment(this.data.overview()));
			case "/queue", "/queue/live" -> {
				Optional<ShardedQueue> sharded = this.data.sharded(request.getParameter("name"));
				if (sharded.isPresent()) {
					shardedQueue(route, request, response, pages, sharded.get(), context);
					return;
				}
				RedisJobQueue queue = queue(request.getParameter("name"));
				JobState state = state(request.getParameter("state"));
				DashboardData.QueueRow row = this.data.row(queue);
				if (route.equals("/queue/live")) {
					page(response, 200, pages.queueFragment(row, state));
					return;
				}
				int number = number(request.getParameter("page"), 1, MAX_PAGE_NUMBER, "page");
				boolean newestFirst = !"oldest".equals(request.getParameter("order"));
				JobPage page = this.data.browse(queue, state, (long) (number - 1) * this.pageSize, this.pageSize,
						newestFirst);
				page(response, 200, pages.queue(context, row, state, page, this.data.page(page, queue), newestFirst,
						number, this.pageSize));
			}
			case "/job" -> {
				String id = required(request.getParameter("id"), "id");
				Optional<ShardedQueue> sharded = this.data.sharded(request.getParameter("queue"));
				if (sharded.isPresent()) {
					JobInfo info = sharded.get().get(id).orElseThrow(() -> new BadRequest(404, "No job '" + id
							+ "' in any shard of queue " + sharded.get().name() + "."));
					page(response, 200, pages.job(context, sharded.get().name(), info, this.data.history(id)));
					return;
				}
				RedisJobQueue queue = queue(request.getParameter("queue"));
				Optional<JobInfo> info = queue.get(id);
				if (info.isEmpty()) {
					throw new BadRequest(404, "No job '" + id + "' in queue " + queue.name()
							+ " (it may have finished and passed its retention).");
				}
				page(response, 200, pages.job(context, queue.name(), info.get(), this.data.history(id)));
			}
			case "/schedules" -> page(response, 200, pages.schedules(context, this.data.schedules()));
			case "/flows", "/flows/live" -> {
				String name = request.getParameter("queue");
				List<DashboardPages.FlowSection> sections = new ArrayList<>();
				if (name != null) {
					RedisJobQueue queue = queue(name);
					int number = number(request.getParameter("page"), 1, MAX_PAGE_NUMBER, "page");
					FlowBrowser flows = this.data.flows(queue);
					sections.add(new DashboardPages.FlowSection(queue.name(), flows.count(),
							flows.recent((long) (number - 1) * this.pageSize, this.pageSize), number, true));
				}
				else {
					for (String known : this.data.queueNames()) {
						this.data.queue(known).map(this.data::flows).filter((flows) -> flows.count() > 0)
							.ifPresent((flows) -> sections.add(new DashboardPages.FlowSection(known, flows.count(),
									flows.recent(0, this.pageSize), 1, false)));
					}
				}
				String live = pages.flowsUrl("/flows/live", name,
						number(request.getParameter("page"), 1, MAX_PAGE_NUMBER, "page"));
				page(response, 200, route.endsWith("/live") ? pages.flowsFragment(sections, live, this.pageSize)
						: pages.flows(context, sections, live, this.pageSize));
			}
			case "/flow", "/flow/live" -> {
				RedisJobQueue queue = queue(request.getParameter("queue"));
				String id = required(request.getParameter("id"), "id");
				FlowBrowser.Entry entry = this.data.flows(queue).get(id)
					.orElseThrow(() -> new BadRequest(404, "No batch or chain '" + id + "' in queue " + queue.name()
							+ " (it may have finished and passed its retention)."));
				String live = pages.flowUrl("/flow/live", queue.name(), id);
				page(response, 200, route.endsWith("/live") ? pages.flowFragment(queue.name(), entry, live)
						: pages.flow(context, queue.name(), entry, live));
			}
			case "/coordination" -> page(response, 200, pages.coordination(context, this.data.coordination()));
			case "/coordination/live" -> page(response, 200, pages.coordinationFragment(this.data.coordination()));
			case "/search" -> {
				String id = required(request.getParameter("id"), "id").trim();
				List<String> queues = this.data.find(id);
				if (queues.size() == 1) {
					redirect(response, pages.jobUrl(queues.get(0), id));
				}
				else if (queues.isEmpty()) {
					page(response, 404, pages.notFound(context, "No queue holds a job with id '" + id + "'."));
				}
				else {
					page(response, 200, pages.searchResults(context, id, queues));
				}
			}
			default -> throw new BadRequest(404, "No page " + route);
		}
	}

	/** A sharded queue's page; its jobs are browsed across the shards with a cursor of per-shard offsets. */
	private void shardedQueue(String route, HttpServletRequest request, HttpServletResponse response,
			DashboardPages pages, ShardedQueue queue, Context context) throws IOException {
		JobState state = state(request.getParameter("state"));
		DashboardData.QueueRow row = this.data.row(queue);
		if (route.equals("/queue/live")) {
			page(response, 200, pages.queueFragment(row, state));
			return;
		}
		String from = request.getParameter("from");
		long[] cursor = null;
		if (from != null) {
			try {
				cursor = Arrays.stream(from.split(",", -1)).mapToLong(Long::parseLong).toArray();
			}
			catch (NumberFormatException ex) {
				throw new BadRequest(400, "'from' must be the offsets of a page's next link.");
			}
		}
		boolean newestFirst = !"oldest".equals(request.getParameter("order"));
		ShardedBrowser.Page page = new ShardedBrowser(queue).page(state, cursor, this.pageSize, newestFirst);
		List<JobInfo> jobs = new ArrayList<>();
		List<Integer> shardOf = new ArrayList<>();
		for (ShardedBrowser.Entry entry : page.entries()) {
			queue.shards().get(entry.shard()).get(entry.id()).ifPresent((info) -> {
				jobs.add(info);
				shardOf.add(entry.shard());
			});
		}
		String next = (page.next() != null) ? Arrays.stream(page.next()).mapToObj(String::valueOf)
			.collect(Collectors.joining(",")) : null;
		page(response, 200, pages.shardedQueue(context, row, state, page.total(), jobs, shardOf, newestFirst,
				cursor == null, next));
	}

	private void write(String route, HttpServletRequest request, HttpServletResponse response, DashboardPages pages)
			throws IOException {
		if (!this.access.canWrite(request)) {
			throw new BadRequest(403, this.access.isReadOnly() ? "The dashboard is read-only (jobqueue.dashboard.read-only)."
					: "Write actions need the operator role.");
		}
		if (!this.access.isSameOrigin(request)) {
			throw new BadRequest(403, "Write actions are only accepted from the dashboard's own pages.");
		}
		if (route.startsWith("/schedules/")) {
			schedule(route.substring("/schedules/".length()), request, response, pages);
			return;
		}
		if (route.equals("/flow/cancel")) {
			RedisJobQueue queue = queue(request.getParameter("queue"));
			String id = required(request.getParameter("id"), "id");
			if (this.data.flows(queue).get(id).isEmpty()) {
				throw new BadRequest(404, "No batch or chain '" + id + "' in queue " + queue.name() + ".");
			}
			CancelResult result = queue.cancel(id);
			logger.info("Dashboard: cancel of flow {} on queue {}: {} by {}", id, queue.name(), result, user(request));
			redirect(response, pages.flowUrl(queue.name(), id) + "&notice=cancelled&count=1");
			return;
		}
		// A sharded queue's dead letters and pause flag span its shards.
		String name = request.getParameter("queue");
		JobQueue queue = this.data.sharded(name).map(JobQueue.class::cast).orElseGet(() -> queue(name));
		DeadLetterQueue dead = queue.deadLetters();
		String notice;
		long count = 0;
		switch (route) {
			case "/dead/retry" -> {
				if ("true".equals(request.getParameter("all"))) {
					count = dead.retryAll();
				}
				else {
					for (String id : selected(request)) {
						count += dead.retry(id) ? 1 : 0;
					}
				}
				notice = "retried";
			}
			case "/dead/delete" -> {
				for (String id : selected(request)) {
					count += dead.delete(id) ? 1 : 0;
				}
				notice = "deleted";
			}
			case "/dead/purge" -> {
				count = dead.purge();
				notice = "purged";
			}
			case "/pause" -> {
				queue.pause();
				notice = "paused";
			}
			case "/resume" -> {
				queue.resume();
				notice = "resumed";
			}
			default -> throw new BadRequest(404, "No action " + route);
		}
		logger.info("Dashboard: {} {} on queue {} ({} job(s)) by {}", notice, route, queue.name(), count,
				user(request));
		this.data.invalidate();
		String[] ids = request.getParameterValues("id");
		if ("job".equals(request.getParameter("back")) && ids != null && ids.length == 1) {
			redirect(response, pages.jobUrl(queue.name(), ids[0]));
		}
		else {
			JobState state = (route.startsWith("/dead")) ? JobState.DEAD : JobState.PENDING;
			redirect(response, pages.queueUrl(queue.name(), state, 1, true) + "&notice=" + notice + "&count=" + count);
		}
	}

	/** Trigger now, pause or resume a schedule, then back to the schedules. */
	private void schedule(String action, HttpServletRequest request, HttpServletResponse response, DashboardPages pages) {
		Scheduler scheduler = this.data.scheduler().orElseThrow(() -> new BadRequest(404, "This application has no scheduler."));
		String name = required(request.getParameter("name"), "name");
		if (this.data.schedules().stream().noneMatch((schedule) -> schedule.name().equals(name))) {
			throw new BadRequest(404, "No schedule '" + name + "'.");
		}
		switch (action) {
			case "trigger" -> scheduler.trigger(name);
			case "pause" -> scheduler.pause(name);
			case "resume" -> scheduler.resume(name);
			default -> throw new BadRequest(404, "No action " + action);
		}
		logger.info("Dashboard: schedule {} {} by {}", name, action,
				user(request));
		this.data.invalidate();
		redirect(response, pages.schedulesUrl() + "?notice=" + action + "&count=1");
	}

	private static String user(HttpServletRequest request) {
		return (request.getUserPrincipal() != null) ? request.getUserPrincipal().getName() : "an anonymous user";
	}

	private Context context(HttpServletRequest request) {
		String notice = null;
		String code = request.getParameter("notice");
		if (code != null && NOTICES.containsKey(code)) {
			notice = String.format(NOTICES.get(code), number(request.getParameter("count"), 0, Integer.MAX_VALUE, "count"));
		}
		boolean canWrite = this.access.canWrite(request);
		return new Context(canWrite, !canWrite, canWrite ? this.access.csrfField(request) : "", notice);
	}

	private RedisJobQueue queue(String name) {
		return this.data.queue(required(name, "queue"))
			.orElseThrow(() -> new BadRequest(404, "No queue '" + name + "' is known to the dashboard."));
	}

	private static List<String> selected(HttpServletRequest request) {
		String[] ids = request.getParameterValues("id");
		if (ids == null || ids.length == 0) {
			throw new BadRequest(400, "Select at least one job.");
		}
		if (ids.length > MAX_SELECTED) {
			throw new BadRequest(400, "At most " + MAX_SELECTED + " jobs at once; use retry all or purge for more.");
		}
		return Arrays.asList(ids);
	}

	private static JobState state(String id) {
		if (id == null) {
			return JobState.PENDING;
		}
		return DashboardPages.STATES.stream().filter((state) -> state.id().equals(id)).findFirst()
			.orElseThrow(() -> new BadRequest(400, "No state '" + id + "'."));
	}

	private static int number(String text, int min, int max, String name) {
		if (text == null) {
			return min;
		}
		try {
			int value = Integer.parseInt(text);
			if (value >= min && value <= max) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// Falls through to the message.
		}
		throw new BadRequest(400, "'" + name + "' must be a number from " + min + " to " + max + ".");
	}

	private static String required(String value, String name) {
		if (value == null || value.isBlank() || value.length() > 500) {
			throw new BadRequest(400, "The parameter '" + name + "' is missing or too long.");
		}
		return value;
	}

	private void asset(String name, HttpServletResponse response) throws IOException {
		DashboardAssets.Asset asset = this.assets.get(name);
		if (asset == null) {
			response.sendError(404);
			return;
		}
		response.setContentType(asset.contentType());
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("Cache-Control", "private, max-age=3600");
		response.getOutputStream().write(asset.content());
	}

	private static void securityHeaders(HttpServletResponse response) {
		response.setHeader("Content-Security-Policy", CSP);
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("Referrer-Policy", "same-origin");
		response.setHeader("Cache-Control", "no-store");
	}

	private static void page(HttpServletResponse response, int status, String html) throws IOException {
		response.setStatus(status);
		response.setContentType("text/html;charset=UTF-8");
		byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}

	private static void redirect(HttpServletResponse response, String location) {
		response.setStatus(303);
		response.setHeader("Location", location);
	}

	/** A request the dashboard refuses, with the status and a message for the page. */
	private static final class BadRequest extends RuntimeException {

		private final int status;

		BadRequest(int status, String message) {
			super(message);
			this.status = status;
		}

	}

}
