package dev.jobqueue.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * A real {@code redis-server} child process on a free loopback port, with its own data directory.
 * <p>
 * The binary is {@code redis-server} from {@code PATH}, else the Redis 7.0 binary shipped inside
 * {@code org.signal:embedded-redis} when that jar is on the class path. It can be stopped, killed
 * and started again on the same port and data directory, so tests can take Redis away for real.
 * Not thread-safe: one owner starts and stops it.
 */
public final class LocalRedisServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LocalRedisServer.class);

	private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

	private final Map<String, String> settings;

	private final Path directory;

	private final int port;

	private Process process;

	private RedisClient client;

	private LocalRedisServer(Map<String, String> settings, int port) {
		this.settings = settings;
		this.port = (port != 0) ? port : freePort();
		try {
			this.directory = Files.createTempDirectory("jobqueue-redis-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a data directory for redis-server", ex);
		}
	}

	private static LocalRedisServer shared;

	/**
	 * One server for the whole JVM, started on first use and stopped when the JVM exits: for test
	 * suites whose application contexts (cached across test classes) outlive any one class. Tests
	 * that share it keep apart by key prefix, or flush it.
	 */
	public static synchronized LocalRedisServer shared() {
		if (shared == null) {
			LocalRedisServer server = create().start();
			Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jobqueue-shared-redis-stop"));
			shared = server;
		}
		return shared;
	}

	/** A server with the default settings: loopback, a free port, AOF on (fsync every second), no RDB snapshots. */
	public static LocalRedisServer create() {
		return builder().build();
	}

	public static Builder builder() {
		return new Builder();
	}

	/** Starts the process and waits until it answers PING. Starting a running server does nothing. */
	public LocalRedisServer start() {
		if (isRunning()) {
			return this;
		}
		List<String> command = new ArrayList<>();
		command.add(RedisBinary.path().toString());
		command.add("--port");
		command.add(String.valueOf(this.port));
		command.add("--dir");
		command.add(this.directory.toString());
		this.settings.forEach((name, value) -> {
			command.add("--" + name);
			command.add(value);
		});
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("redis.log").toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot start " + command.get(0) + ": " + ex.getMessage(), ex);
		}
		awaitReady();
		logger.debug("redis-server started on port {} in {}", this.port, this.directory);
		return this;
	}

	/** Shuts the server down the way an operator would (SIGTERM: AOF flushed), and waits for the process to end. */
	public void stop() {
		end(false);
	}

	/** Kills the server with SIGKILL, as a crash would: nothing is flushed. */
	public void kill() {
		end(true);
	}

	/** Freezes the process with SIGSTOP, as a stalled machine would: connections stay open, nothing answers. */
	public void pause() {
		signal("STOP");
		// kill returns once the signal is sent; the server may answer a little longer. Wait until it has stopped.
		Path stat = Path.of("/proc", String.valueOf(this.process.pid()), "stat");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (Files.exists(stat) && System.nanoTime() < deadline) {
			try {
				String line = Files.readString(stat);
				char state = line.charAt(line.lastIndexOf(')') + 2);
				if (state == 'T' || state == 't') {
					return;
				}
				Thread.sleep(1);
			}
			catch (IOException ex) {
				return;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** Lets a {@link #pause() paused} process run again (SIGCONT). */
	public void resume() {
		signal("CONT");
	}

	private void signal(String name) {
		if (this.process == null) {
			throw new IllegalStateException("redis-server on port " + this.port + " is not running");
		}
		try {
			Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(this.process.pid())).start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + name + " failed for redis-server on port " + this.port);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Stops and starts again on the same port and data directory. */
	public LocalRedisServer restart() {
		stop();
		return start();
	}

	public boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	public String host() {
		return "127.0.0.1";
	}

	public int port() {
		return this.port;
	}

	/** {@code redis://127.0.0.1:<port>}. */
	public String uri() {
		return "redis://" + host() + ":" + this.port;
	}

	public HostAndPort hostAndPort() {
		return new HostAndPort(host(), this.port);
	}

	public Path directory() {
		return this.directory;
	}

	/**
	 * A pooled client for this server, created on first use and closed with the server. It
	 * reconnects by itself after {@link #restart()}.
	 */
	public synchronized RedisClient client() {
		if (this.client == null) {
			this.client = RedisClient.builder()
				.hostAndPort(hostAndPort())
				.clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(5000).build())
				.poolConfig(validatedPool())
				.build();
		}
		return this.client;
	}

	private static ConnectionPoolConfig validatedPool() {
		// Tests restart the server under the client: a pooled connection must be checked before use.
		ConnectionPoolConfig pool = new ConnectionPoolConfig();
		pool.setTestOnBorrow(true);
		return pool;
	}

	/** The time on this server's clock, in epoch milliseconds: the clock the queue's due times and leases use. */
	public long timeMillis() {
		java.util.List<?> time = (java.util.List<?>) client().eval("return redis.call('TIME')");
		return Long.parseLong((String) time.get(0)) * 1000 + Long.parseLong((String) time.get(1)) / 1000;
	}

	/** Deletes every key, so the tests of one class do not see each other's data. */
	public void flushAll() {
		client().flushAll();
	}

	/** Stops the server and deletes its data directory. */
	@Override
	public synchronized void close() {
		if (this.client != null) {
			this.client.close();
			this.client = null;
		}
		kill();
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			logger.debug("Could not delete {}", this.directory, ex);
		}
	}

	private void end(boolean kill) {
		if (this.process == null) {
			return;
		}
		if (kill) {
			this.process.destroyForcibly();
		}
		else {
			this.process.destroy();
		}
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.process = null;
	}

	private void awaitReady() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("redis-server exited at start-up on port " + this.port + ":\n" + logTail());
			}
			if (answersPing()) {
				return;
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for redis-server", ex);
			}
		}
		throw new IllegalStateException("redis-server did not answer within " + START_TIMEOUT + ":\n" + logTail());
	}

	private boolean answersPing() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host(), this.port), 200);
			socket.setSoTimeout(500);
			socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			byte[] reply = new byte[7];
			int read = socket.getInputStream().read(reply);
			// "-LOADING" while the AOF is replayed is not ready yet.
			return read > 0 && reply[0] == '+';
		}
		catch (IOException ex) {
			return false;
		}
	}

	private String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.directory.resolve("redis.log"));
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "(no log)";
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port", ex);
		}
	}

	/** Options of a {@link LocalRedisServer}; any {@code redis.conf} directive can be given. */
	public static final class Builder {

		private final Map<String, String> settings = new LinkedHashMap<>();

		private int port;

		private Builder() {
			this.settings.put("bind", "127.0.0.1");
			this.settings.put("save", "");
			this.settings.put("appendonly", "yes");
			this.settings.put("appendfsync", "everysec");
		}

		/** A fixed port; by default a free one is picked. */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/** A {@code redis.conf} directive, e.g. {@code setting("maxmemory-policy", "allkeys-lru")}. */
		public Builder setting(String name, String value) {
			this.settings.put(name, value);
			return this;
		}

		public LocalRedisServer build() {
			return new LocalRedisServer(new LinkedHashMap<>(this.settings), this.port);
		}

	}

	/** Finds the redis-server binary once per JVM. */
	static final class RedisBinary {

		private static Path path;

		static synchronized Path path() {
			if (path == null) {
				path = onPath();
				if (path == null) {
					path = fromEmbeddedRedisJar();
				}
			}
			return path;
		}

		private static Path onPath() {
			String pathVariable = System.getenv("PATH");
			if (pathVariable == null) {
				return null;
			}
			for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
				Path candidate = Path.of(dir, "redis-server");
				if (Files.isExecutable(candidate)) {
					return candidate;
				}
			}
			return null;
		}

		private static Path fromEmbeddedRedisJar() {
			String resource = "/redis-server-7.0.15-" + platform();
			try (InputStream in = LocalRedisServer.class.getResourceAsStream(resource)) {
				if (in == null) {
					throw new IllegalStateException("No redis-server on PATH and no " + resource.substring(1)
							+ " on the class path: install Redis (e.g. apt-get install redis-server) or add "
							+ "org.signal:embedded-redis");
				}
				Path file = Files.createTempFile("redis-server-", "");
				Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
				file.toFile().deleteOnExit();
				return file;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot extract " + resource, ex);
			}
		}

		private static String platform() {
			String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
			String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
			String osName = os.contains("mac") ? "darwin" : "linux";
			String archName = switch (arch) {
				case "amd64", "x86_64" -> "amd64";
				case "aarch64", "arm64" -> "arm64";
				default -> "386";
			};
			return osName + "-" + archName;
		}

	}

}
