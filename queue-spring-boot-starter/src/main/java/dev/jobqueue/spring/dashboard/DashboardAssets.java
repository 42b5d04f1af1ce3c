package dev.jobqueue.spring.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The files the pages load, served from the jar (no CDN): the dashboard's own script and style, and
 * htmx and uPlot from their WebJars, whose versions are read from the WebJars' Maven metadata. Only
 * these names are served. Thread-safe.
 */
final class DashboardAssets {

	record Asset(byte[] content, String contentType) {
	}

	private final Map<String, Asset> assets;

	DashboardAssets() {
		String htmx = "META-INF/resources/webjars/htmx.org/" + webJarVersion("htmx.org") + "/dist/";
		String uplot = "META-INF/resources/webjars/uplot/" + webJarVersion("uplot") + "/dist/";
		String own = "dev/jobqueue/spring/dashboard/";
		this.assets = Map.of("htmx.min.js", load(htmx + "htmx.min.js", "text/javascript"), "uPlot.iife.min.js",
				load(uplot + "uPlot.iife.min.js", "text/javascript"), "uPlot.min.css",
				load(uplot + "uPlot.min.css", "text/css"), "dashboard.js", load(own + "dashboard.js", "text/javascript"),
				"dashboard.css", load(own + "dashboard.css", "text/css"));
	}

	Asset get(String name) {
		return this.assets.get(name);
	}

	private static String webJarVersion(String artifact) {
		Properties properties = new Properties();
		try (InputStream in = open("META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties")) {
			properties.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return properties.getProperty("version");
	}

	private static Asset load(String path, String contentType) {
		try (InputStream in = open(path)) {
			return new Asset(in.readAllBytes(), contentType + ";charset=UTF-8");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static InputStream open(String path) {
		InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(path);
		if (in == null) {
			throw new IllegalStateException("The dashboard's asset " + path + " is missing from the class path");
		}
		return in;
	}

}
