package dev.jobqueue.spring.autoconfigure.dashboard;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The web dashboard, under {@code jobqueue.dashboard}; off unless enabled. */
@ConfigurationProperties("jobqueue.dashboard")
public class JobQueueDashboardProperties {

	/** Whether the dashboard is served. */
	private boolean enabled;

	/** Path the dashboard is served under: letters, digits, '-', '_' and '/' segments. */
	private String path = "/jobqueue";

	/** Whether write actions (retry, delete, purge, pause, resume) are hidden and refused with 403. */
	private boolean readOnly = true;

	/** Role needed to see the dashboard when Spring Security is present (the operator role also may). */
	private String viewerRole = "JOBQUEUE_VIEWER";

	/** Role needed for write actions when Spring Security is present. */
	private String operatorRole = "JOBQUEUE_OPERATOR";

	/** How often open pages refresh counts, chart and workers; 2s at least. */
	private Duration refreshInterval = Duration.ofSeconds(5);

	/** Jobs per page in job lists, 1 to 100. */
	private int pageSize = 25;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public boolean isReadOnly() {
		return this.readOnly;
	}

	public void setReadOnly(boolean readOnly) {
		this.readOnly = readOnly;
	}

	public String getViewerRole() {
		return this.viewerRole;
	}

	public void setViewerRole(String viewerRole) {
		this.viewerRole = viewerRole;
	}

	public String getOperatorRole() {
		return this.operatorRole;
	}

	public void setOperatorRole(String operatorRole) {
		this.operatorRole = operatorRole;
	}

	public Duration getRefreshInterval() {
		return this.refreshInterval;
	}

	public void setRefreshInterval(Duration refreshInterval) {
		this.refreshInterval = refreshInterval;
	}

	public int getPageSize() {
		return this.pageSize;
	}

	public void setPageSize(int pageSize) {
		this.pageSize = pageSize;
	}

}
