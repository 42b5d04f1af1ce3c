package dev.jobqueue.spring.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * The Redis connection described by {@code spring.data.redis.*} (URL, host, credentials, TLS,
 * cluster nodes), read the way Spring Boot reads it: what the job queue connects to when no
 * connection details bean (a service connection, or Spring Data Redis's own) exists.
 */
final class PropertiesRedisConnectionDetails implements DataRedisConnectionDetails {

	private final DataRedisProperties properties;

	private final SslBundles sslBundles;

	private final URI url;

	PropertiesRedisConnectionDetails(DataRedisProperties properties, SslBundles sslBundles) {
		this.properties = properties;
		this.sslBundles = sslBundles;
		this.url = parse(properties.getUrl());
	}

	private static URI parse(String url) {
		if (url == null || url.isBlank()) {
			return null;
		}
		try {
			URI uri = new URI(url);
			if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
				throw new IllegalStateException("spring.data.redis.url must start with redis:// or rediss://, not '"
						+ uri.getScheme() + "'");
			}
			return uri;
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("spring.data.redis.url is not a URL: " + ex.getMessage(), ex);
		}
	}

	/** Whether the connection uses TLS: {@code spring.data.redis.ssl.enabled}, a bundle, or a {@code rediss://} URL. */
	boolean usesSsl() {
		return this.properties.getSsl().isEnabled() || (this.url != null && "rediss".equals(this.url.getScheme()));
	}

	@Override
	public String getUsername() {
		String userInfo = (this.url != null) ? this.url.getUserInfo() : null;
		if (userInfo == null) {
			return this.properties.getUsername();
		}
		int colon = userInfo.indexOf(':');
		return (colon > 0) ? userInfo.substring(0, colon) : null;
	}

	@Override
	public String getPassword() {
		String userInfo = (this.url != null) ? this.url.getUserInfo() : null;
		if (userInfo == null) {
			return this.properties.getPassword();
		}
		int colon = userInfo.indexOf(':');
		return (colon >= 0) ? userInfo.substring(colon + 1) : userInfo;
	}

	@Override
	public SslBundle getSslBundle() {
		String bundle = this.properties.getSsl().getBundle();
		return (bundle != null && this.sslBundles != null) ? this.sslBundles.getBundle(bundle) : null;
	}

	@Override
	public Standalone getStandalone() {
		if (this.url == null) {
			return Standalone.of(this.properties.getHost(), this.properties.getPort(), this.properties.getDatabase());
		}
		String path = this.url.getPath();
		int database = (path != null && path.length() > 1) ? Integer.parseInt(path.substring(1))
				: this.properties.getDatabase();
		return Standalone.of(this.url.getHost(), (this.url.getPort() > 0) ? this.url.getPort() : 6379, database);
	}

	@Override
	public Cluster getCluster() {
		DataRedisProperties.Cluster cluster = this.properties.getCluster();
		if (cluster == null) {
			return null;
		}
		List<Node> nodes = cluster.getNodes().stream().map(PropertiesRedisConnectionDetails::node).toList();
		return () -> nodes;
	}

	@Override
	public Sentinel getSentinel() {
		DataRedisProperties.Sentinel sentinel = this.properties.getSentinel();
		if (sentinel == null) {
			return null;
		}
		List<Node> nodes = sentinel.getNodes().stream().map(PropertiesRedisConnectionDetails::node).toList();
		int database = getStandalone().getDatabase();
		return new Sentinel() {

			@Override
			public int getDatabase() {
				return database;
			}

			@Override
			public String getMaster() {
				return sentinel.getMaster();
			}

			@Override
			public List<Node> getNodes() {
				return nodes;
			}

			@Override
			public String getUsername() {
				return sentinel.getUsername();
			}

			@Override
			public String getPassword() {
				return sentinel.getPassword();
			}

		};
	}

	private static Node node(String hostAndPort) {
		int colon = hostAndPort.lastIndexOf(':');
		if (colon < 1) {
			throw new IllegalStateException("A Redis node is host:port, not '" + hostAndPort + "'");
		}
		return new Node(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
	}

}
