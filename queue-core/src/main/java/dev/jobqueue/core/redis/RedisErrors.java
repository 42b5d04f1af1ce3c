package dev.jobqueue.core.redis;

import java.util.List;
import java.util.NoSuchElementException;

import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Tells transient Redis failures, worth sending again, from errors that will not go away: a lost or
 * timed-out connection (the command may or may not have run), a connection pool that could not hand out a
 * working connection in time, and the replies of a server that is loading, busy, out of memory, a read-only
 * replica or a cluster in the middle of a failover.
 */
public final class RedisErrors {

	private static final List<String> TRANSIENT_REPLIES = List.of("LOADING", "BUSY", "OOM", "READONLY", "TRYAGAIN",
			"CLUSTERDOWN", "MASTERDOWN", "NOREPLICAS", "UNBLOCKED", "MISCONF");

	private RedisErrors() {
	}

	public static boolean isTransient(Throwable error) {
		for (Throwable cause = error; cause != null; cause = (cause.getCause() == cause) ? null : cause.getCause()) {
			if (cause instanceof JedisConnectionException || cause instanceof JedisClusterOperationException) {
				return true;
			}
			// The pool timed out, or every connection it had failed its check (a server busy in a script answers
			// the check with BUSY). A closed pool fails otherwise and is not worth a retry.
			if (cause instanceof JedisException && cause.getCause() instanceof NoSuchElementException) {
				return true;
			}
			if (cause instanceof JedisDataException && cause.getMessage() != null) {
				String message = cause.getMessage();
				for (String reply : TRANSIENT_REPLIES) {
					// Whole words only: BUSYGROUP and BUSYKEY are answers, not a busy server.
					if (message.equals(reply) || message.startsWith(reply + " ") || message.contains(" " + reply + " ")
							|| message.contains("-" + reply + " ")) {
						return true;
					}
				}
			}
		}
		return false;
	}

}
