package dev.jobqueue.core.leader;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.redis.CoordinationRegistry;
import dev.jobqueue.core.redis.RedisKeys;
import dev.jobqueue.core.redis.RedisScript;
import redis.clients.jedis.UnifiedJedis;

/**
 * Leader election on a lease in Redis. Every candidate of the same name campaigns every
 * {@code checkInterval}; the winner renews its lease at that pace and gets a term larger than every
 * earlier term of that name.
 * <p>
 * What it promises: a leader steps down on its own before its lease can have run out in Redis, judged
 * by the local monotonic clock from the <em>send</em> time of its last successful renewal, so
 * {@link #isLeader()} is false by the time another candidate can be elected, even after a pause or a
 * partition; a new leader is elected within lease + check interval after the old one dies (at once
 * after a {@link #close()}). What it does not promise: that work started as leader finishes before the
 * lease ends. Fence such work with {@link #term()} (e.g. {@code FencedStore.write(resource, term, ...)}).
 * Thread-safe; one daemon thread campaigns and renews, another steps down on time.
 */
public final class LeaderElection implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

	private static final RedisScript CAMPAIGN = RedisScript.load(LeaderElection.class, "campaign");

	private static final RedisScript RENEW = RedisScript.load(LeaderElection.class, "renew");

	private static final RedisScript RESIGN = RedisScript.load(LeaderElection.class, "resign");

	private final UnifiedJedis redis;

	private final RedisKeys keys;

	private final Duration lease;

	private final Duration checkInterval;

	/** Stepping down this much before the lease's end covers clock-rate differences between hosts. */
	private final long marginNanos;

	private final String candidate = UUID.randomUUID().toString();

	private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();

	private final ScheduledExecutorService campaigner;

	private final ScheduledExecutorService stepDown;

	private final Object monitor = new Object();

	private final String prefix;

	/** Whether this election is listed for the dashboard. */
	private volatile boolean listed;

	private long term;

	private String value;

	private long deadline;

	private ScheduledFuture<?> stepDownTask;

	private volatile boolean closed;

	/**
	 * @param redis the client; owned by the caller
	 * @param prefix the key prefix, as the queues use
	 * @param name the election's name; candidates of the same name compete
	 * @param lease how long a leadership lasts without renewal
	 * @param checkInterval how often candidates campaign and the leader renews; less than half the lease
	 */
	public LeaderElection(UnifiedJedis redis, String prefix, String name, Duration lease, Duration checkInterval) {
		this.redis = redis;
		this.keys = RedisKeys.of(prefix, "leader", name);
		this.prefix = prefix;
		this.lease = RedisKeys.positive(lease, "leader lease");
		this.checkInterval = RedisKeys.positive(checkInterval, "leader check interval");
		if (checkInterval.multipliedBy(2).compareTo(lease) >= 0) {
			throw new IllegalArgumentException("A leader's check interval (" + checkInterval
					+ ") must be less than half its lease (" + lease + "), or it cannot renew in time");
		}
		this.marginNanos = Math.min(lease.toNanos() / 10, Duration.ofSeconds(1).toNanos());
		this.campaigner = daemon("jobqueue-leader-" + name);
		this.stepDown = daemon("jobqueue-leader-stepdown-" + name);
	}

	/** An election with a check interval of a third of the lease. */
	public LeaderElection(UnifiedJedis redis, String name, Duration lease) {
		this(redis, "jobqueue", name, lease, lease.dividedBy(3));
	}

	public String name() {
		return this.keys.name();
	}

	public Duration lease() {
		return this.lease;
	}

	public LeaderElection addListener(LeadershipListener listener) {
		this.listeners.add(listener);
		return this;
	}

	/** Starts campaigning. */
	public LeaderElection start() {
		this.campaigner.scheduleWithFixedDelay(this::check, 0, this.checkInterval.toMillis(), TimeUnit.MILLISECONDS);
		return this;
	}

	/** Whether this candidate leads now: elected, and its lease cannot have run out by the local clock. */
	public boolean isLeader() {
		synchronized (this.monitor) {
			return this.value != null && System.nanoTime() - this.deadline < 0;
		}
	}

	/** The term this candidate leads in, or 0 when it does not lead; larger than every earlier term. */
	public long term() {
		synchronized (this.monitor) {
			return isLeader() ? this.term : 0;
		}
	}

	private void check() {
		try {
			String held;
			synchronized (this.monitor) {
				held = this.value;
			}
			if (!this.listed) {
				this.listed = CoordinationRegistry.register(this.redis, this.prefix, CoordinationRegistry.Kind.LEADER,
						name(), String.valueOf(this.lease.toMillis()));
			}
			long sent = System.nanoTime();
			if (held == null) {
				List<?> reply = (List<?>) CAMPAIGN.run(this.redis, List.of(this.keys.key(), this.keys.key("term")),
						List.of(this.candidate, String.valueOf(this.lease.toMillis())));
				if (RedisKeys.asLong(reply, 0) == 1) {
					elected(RedisKeys.asLong(reply, 1), sent);
				}
			}
			else if (RedisKeys.asLong(RENEW.run(this.redis, List.of(this.keys.key()),
					List.of(held, String.valueOf(this.lease.toMillis())))) == 1) {
				renewed(held, sent);
			}
			else {
				revoke(held, "its lease was gone at renewal");
			}
		}
		catch (RuntimeException ex) {
			log.warn("Leader election {}: could not reach Redis; a leader steps down when its lease may have run out",
					name(), ex);
		}
	}

	private void elected(long term, long sent) {
		synchronized (this.monitor) {
			if (this.closed) {
				return;
			}
			this.term = term;
			this.value = term + ":" + this.candidate;
			scheduleStepDown(sent);
		}
		log.info("Leader election {}: elected in term {}", name(), term);
		for (LeadershipListener listener : this.listeners) {
			notify(() -> listener.elected(name(), term));
		}
	}

	private void renewed(String held, long sent) {
		synchronized (this.monitor) {
			if (held.equals(this.value)) {
				scheduleStepDown(sent);
			}
		}
	}

	private void scheduleStepDown(long sent) {
		this.deadline = sent + this.lease.toNanos() - this.marginNanos;
		if (this.stepDownTask != null) {
			this.stepDownTask.cancel(false);
		}
		String held = this.value;
		this.stepDownTask = this.stepDown.schedule(() -> {
			if (!isLeader()) {
				revoke(held, "it could not renew before its lease may have run out");
			}
		}, this.deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
	}

	private void revoke(String held, String why) {
		long revokedTerm;
		synchronized (this.monitor) {
			if (this.value == null || !this.value.equals(held)) {
				return;
			}
			revokedTerm = this.term;
			this.value = null;
			if (this.stepDownTask != null) {
				this.stepDownTask.cancel(false);
			}
		}
		if (this.closed) {
			log.info("Leader election {}: resigned from term {}", name(), revokedTerm);
		}
		else {
			log.warn("Leader election {}: stepped down from term {}: {}", name(), revokedTerm, why);
		}
		for (LeadershipListener listener : this.listeners) {
			notify(() -> listener.revoked(name(), revokedTerm));
		}
	}

	private void notify(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			log.warn("Leader election {}: a listener failed", name(), ex);
		}
	}

	/** Stops campaigning; a leader resigns so another candidate is elected at once. */
	@Override
	public void close() {
		String held;
		synchronized (this.monitor) {
			this.closed = true;
			held = this.value;
		}
		this.campaigner.shutdownNow();
		if (held != null) {
			// Stepped down here (listeners told) before the key is released: no successor is elected while this
			// candidate still acts as leader.
			revoke(held, "it closed");
			try {
				RESIGN.run(this.redis, List.of(this.keys.key()), List.of(held));
			}
			catch (RuntimeException ex) {
				log.warn("Leader election {}: could not resign; the lease will run out instead", name(), ex);
			}
		}
		this.stepDown.shutdownNow();
	}

	private static ScheduledExecutorService daemon(String name) {
		return Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		});
	}

}
