package dev.jobqueue.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import redis.clients.jedis.HostAndPort;

/**
 * A TCP proxy on a free loopback port in front of a Redis server, for tests that take the network away for
 * real. It forwards bytes both ways until told otherwise:
 * <ul>
 * <li>{@link #blackhole()}: a partition. Connections stay open and new ones are accepted, but no byte moves
 * either way; what is sent meanwhile is held, as TCP would keep retransmitting it, and delivered after
 * {@link #heal()}, even when its sender gave up.</li>
 * <li>{@link #cutNextReply(String)}: a reply lost after the command ran. The next request is forwarded, and
 * when its reply comes the client's connection is closed instead.</li>
 * <li>{@link #strand()}: the connections open now go silent for good, as when the server's host dies without
 * a word or a failover moves its address: what is sent on them is dropped and nothing comes back, but they
 * stay open. New connections work.</li>
 * </ul>
 * A thread per direction per connection, plain blocking sockets. Thread-safe; {@link #close()} ends every
 * connection.
 */
public final class RedisProxy implements AutoCloseable {

	private final String targetHost;

	private final int targetPort;

	private final ServerSocket server;

	private final Set<Link> links = ConcurrentHashMap.newKeySet();

	private final Object partition = new Object();

	/** What the next request whose reply is cut must contain; {@code null} when no cut is armed. */
	private final AtomicReference<byte[]> cutMarker = new AtomicReference<>();

	private final AtomicInteger repliesCut = new AtomicInteger();

	private volatile boolean blackholed;

	private volatile boolean closed;

	private RedisProxy(String targetHost, int targetPort) {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot listen on a loopback port", ex);
		}
		thread("redis-proxy-" + port() + "-accept", this::acceptUntilClosed).start();
	}

	/** A proxy, listening now, in front of {@code server}. */
	public static RedisProxy to(LocalRedisServer server) {
		return new RedisProxy(server.host(), server.port());
	}

	public String host() {
		return this.server.getInetAddress().getHostAddress();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** Where clients connect to go through the proxy. */
	public HostAndPort hostAndPort() {
		return new HostAndPort(host(), port());
	}

	/** Stops every byte, both ways, on every connection, until {@link #heal()}. */
	public void blackhole() {
		this.blackholed = true;
	}

	/** Ends a {@link #blackhole()}: what was held is delivered, and bytes flow again. */
	public void heal() {
		synchronized (this.partition) {
			this.blackholed = false;
			this.partition.notifyAll();
		}
	}

	/** Makes every connection open now drop what is sent either way, for good; later connections work. */
	public void strand() {
		this.links.forEach((link) -> link.stranded = true);
	}

	/** Cuts the reply to the next request, whatever it is. */
	public void cutNextReply() {
		cutNextReply("");
	}

	/**
	 * Cuts the reply to the next request containing {@code text} (e.g. a key or a job id, matched within what
	 * one read returns): the request reaches Redis and runs, then the client's connection is closed when the
	 * reply comes, so the client cannot know whether it ran.
	 */
	public void cutNextReply(String text) {
		this.cutMarker.set(text.getBytes(StandardCharsets.UTF_8));
	}

	/** How many replies were cut so far. */
	public int repliesCut() {
		return this.repliesCut.get();
	}

	/** Connections open through the proxy now. */
	public int connections() {
		return this.links.size();
	}

	@Override
	public void close() {
		this.closed = true;
		heal();
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
		this.links.forEach(Link::close);
	}

	private void acceptUntilClosed() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			Socket upstream;
			try {
				upstream = new Socket(this.targetHost, this.targetPort);
			}
			catch (IOException ex) {
				// Redis is down: the client sees its connection closed, as it would see a refused one.
				closeQuietly(client);
				continue;
			}
			Link link = new Link(client, upstream);
			this.links.add(link);
			if (this.closed) {
				link.close();
				return;
			}
			link.start();
		}
	}

	/** Waits out a blackhole; {@code false} when the proxy closed meanwhile. */
	private boolean awaitFlowing() {
		synchronized (this.partition) {
			while (this.blackholed && !this.closed) {
				try {
					this.partition.wait();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return !this.closed;
		}
	}

	private boolean claimCut(byte[] chunk, int length) {
		byte[] marker = this.cutMarker.get();
		return marker != null && indexOf(chunk, length, marker) >= 0 && this.cutMarker.compareAndSet(marker, null);
	}

	private static int indexOf(byte[] chunk, int length, byte[] marker) {
		for (int i = 0; i + marker.length <= length; i++) {
			if (Arrays.equals(chunk, i, i + marker.length, marker, 0, marker.length)) {
				return i;
			}
		}
		return -1;
	}

	private static Thread thread(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

	/** A client's connection and the proxy's own connection to Redis for it. */
	private final class Link {

		private final Socket client;

		private final Socket upstream;

		/** Set when a request was forwarded whose reply must not reach the client. */
		private volatile boolean cutPending;

		/** Set when this connection went silent for good: bytes are dropped both ways. */
		private volatile boolean stranded;

		Link(Socket client, Socket upstream) {
			this.client = client;
			this.upstream = upstream;
		}

		void start() {
			String name = "redis-proxy-" + port() + "-" + this.client.getPort();
			thread(name + "-request", () -> pump(this.client, this.upstream, true)).start();
			thread(name + "-reply", () -> pump(this.upstream, this.client, false)).start();
		}

		private void pump(Socket from, Socket to, boolean requests) {
			byte[] chunk = new byte[16 * 1024];
			try {
				InputStream in = from.getInputStream();
				OutputStream out = to.getOutputStream();
				while (true) {
					int read = in.read(chunk);
					// Held during a partition, even an end of stream: TCP would deliver it once the network is back.
					if (!awaitFlowing() || read < 0) {
						break;
					}
					if (this.stranded) {
						continue;
					}
					if (requests && claimCut(chunk, read)) {
						this.cutPending = true;
					}
					else if (!requests && this.cutPending) {
						RedisProxy.this.repliesCut.incrementAndGet();
						break;
					}
					out.write(chunk, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// The other side closed: so does this link.
			}
			close();
		}

		void close() {
			closeQuietly(this.client);
			closeQuietly(this.upstream);
			RedisProxy.this.links.remove(this);
		}

	}

}
