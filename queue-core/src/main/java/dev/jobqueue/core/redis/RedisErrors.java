package dev.jobqueue.core.redis;

import java.util.List;

import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Tells transient Redis failures, worth sending again, from errors that will not go away: a lost or
 * timed-out connection (the command may or may not have run), and the replies of a server that is loading,
 * busy, out of memory, a read-only replica or a cluster in the middle of a failover.
 */
public final class RedisErrors {

	private static final List<String> TRANSIENT_REPLIES = List.of("LOADING", "BUSY", "OOM", "READONLY", "TRYAGAIN",
			"CLUSTERDOWN", "MASTERDOWN", "NOREPLICAS", "UNBLOCKED");

	private RedisErrors() {
	}

	public static boolean isTransient(Throwable error) {
		for (Throwable cause = error; cause != null; cause = (cause.getCause() == cause) ? null : cause.getCause()) {
			if (cause instanceof JedisConnectionException || cause instanceof JedisClusterOperationException) {
				return true;
			}
			if (cause instanceof JedisDataException && cause.getMessage() != null) {
				String message = cause.getMessage();
				for (String reply : TRANSIENT_REPLIES) {
					if (message.startsWith(reply) || message.contains(" " + reply + " ") || message.contains("-" + reply)) {
						return true;
					}
				}
			}
		}
		return false;
	}

}
