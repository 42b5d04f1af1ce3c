package dev.jobqueue.spring.dashboard;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.csrf.CsrfToken;

/**
 * Who may see the dashboard and use its write actions. When the application runs Spring Security's
 * filter chain, the chain authenticates and checks CSRF tokens, and this checks roles: the viewer or
 * operator role to see, the operator role to write. Without it, anyone who reaches the path may see,
 * and writes are open only when not read-only. Writes also need a same-origin request
 * ({@code Sec-Fetch-Site}, else {@code Origin}), whatever the security setup. Thread-safe.
 */
public class DashboardAccess {

	private final boolean readOnly;

	private final String viewerRole;

	private final String operatorRole;

	private final boolean security;

	/** {@code security}: whether Spring Security's filter chain guards the application's requests. */
	public DashboardAccess(boolean readOnly, String viewerRole, String operatorRole, boolean security) {
		this.readOnly = readOnly;
		this.viewerRole = viewerRole;
		this.operatorRole = operatorRole;
		this.security = security;
	}

	public boolean isSecured() {
		return this.security;
	}

	public boolean isReadOnly() {
		return this.readOnly;
	}

	boolean canView(HttpServletRequest request) {
		return !this.security || request.isUserInRole(this.viewerRole) || request.isUserInRole(this.operatorRole);
	}

	/** Whether write actions are shown to and accepted from this user. */
	boolean canWrite(HttpServletRequest request) {
		return !this.readOnly && (!this.security || request.isUserInRole(this.operatorRole));
	}

	/** Refuses cross-site writes: a browser says where a request comes from, and a form of this page is same-origin. */
	boolean isSameOrigin(HttpServletRequest request) {
		String site = request.getHeader("Sec-Fetch-Site");
		if (site != null) {
			return site.equals("same-origin");
		}
		String origin = request.getHeader("Origin");
		if (origin == null) {
			return true;
		}
		try {
			URI uri = URI.create(origin);
			int port = (uri.getPort() != -1) ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
			return request.getServerName().equalsIgnoreCase(uri.getHost()) && request.getServerPort() == port;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/** The hidden form field carrying Spring Security's CSRF token, or nothing without it. */
	String csrfField(HttpServletRequest request) {
		if (!this.security) {
			return "";
		}
		return CsrfField.of(request);
	}

	/** Kept apart so that the Spring Security types are loaded only when present. */
	private static final class CsrfField {

		static String of(HttpServletRequest request) {
			Object attribute = request.getAttribute(CsrfToken.class.getName());
			if (attribute instanceof CsrfToken token) {
				return "<input type=\"hidden\" name=\"" + Html.escape(token.getParameterName()) + "\" value=\""
						+ Html.escape(token.getToken()) + "\">";
			}
			return "";
		}

	}

}
