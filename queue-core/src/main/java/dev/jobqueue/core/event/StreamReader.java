package dev.jobqueue.core.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamConsumerInfo;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamPendingEntry;

import dev.jobqueue.core.queue.QueueKeys;

/**
 * Reads one store's event stream on its own thread, broadcast ({@code XREAD} from the last id it delivered) or
 * as a member of a consumer group ({@code XREADGROUP}, {@code XACK} after the listener returns, {@code XAUTOCLAIM}
 * of events left pending past {@code claimAfter}). One reader per store, as the stores of a Redis Cluster live in
 * different slots; a subscription's readers deliver one event at a time through a shared lock.
 */
final class StreamReader implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(StreamReader.class);

	private static final int COUNT = 100;

	/**
	 * Deliveries after which a group gives up on an entry its listeners keep failing (or cannot read): it is logged
	 * and acknowledged, so one poison event is not redelivered for ever.
	 */
	static final int MAX_DELIVERIES = 10;

	/** A group member idle this long and holding nothing is removed from the group: restarted nodes' names pile up. */
	private static final long FORGET_CONSUMER_MS = 24 * 3600 * 1000L;

	/** Shorter than any client's socket timeout, and how long {@link EventSubscription#close()} may wait. */
	private static final int BLOCK_MS = 500;

	private final UnifiedJedis redis;

	private final QueueKeys store;

	private final String key;

	private final EventListener listener;

	private final Object delivery;

	private final String group;

	private final String consumer;

	private final long claimAfterMillis;

	/** Broadcast: the last id delivered (or seen at subscription). */
	private StreamEntryID position;

	private volatile boolean open = true;

	private boolean groupReady;

	/**
	 * Group: the events this reader delivered of entries still pending because another of their events failed, so
	 * that claiming such an entry again repeats only what failed. Read and written on the reader's thread.
	 */
	private final Map<StreamEntryID, BitSet> partlyDelivered = new HashMap<>();

	private StreamReader(UnifiedJedis redis, QueueKeys store, EventListener listener, Object delivery, String group,
			String consumer, Duration claimAfter) {
		this.redis = redis;
		this.store = store;
		this.key = store.key("events");
		this.listener = listener;
		this.delivery = delivery;
		this.group = group;
		this.consumer = consumer;
		this.claimAfterMillis = (claimAfter != null) ? claimAfter.toMillis() : 0;
	}

	static EventSubscription broadcast(UnifiedJedis redis, List<QueueKeys> stores, EventListener listener) {
		Object delivery = new Object();
		List<StreamReader> readers = new ArrayList<>();
		for (QueueKeys store : stores) {
			StreamReader reader = new StreamReader(redis, store, listener, delivery, null, null, null);
			// From the latest event now, resolved once: '$' on each read would skip what came between two reads.
			List<StreamEntry> last = redis.xrevrange(reader.key, "+", "-", 1);
			reader.position = last.isEmpty() ? new StreamEntryID(0, 0) : last.get(0).getID();
			readers.add(reader);
		}
		return start(readers, "jobqueue-events");
	}

	static EventSubscription group(UnifiedJedis redis, List<QueueKeys> stores, String group, String consumer,
			Duration claimAfter, EventListener listener) {
		if (group == null || group.isBlank() || consumer == null || consumer.isBlank()) {
			throw new IllegalArgumentException("A consumer group subscription needs a group and a consumer name");
		}
		if (claimAfter.toMillis() < 100) {
			throw new IllegalArgumentException("claimAfter must be at least 100 ms");
		}
		Object delivery = new Object();
		List<StreamReader> readers = new ArrayList<>();
		for (QueueKeys store : stores) {
			StreamReader reader = new StreamReader(redis, store, listener, delivery, group, consumer, claimAfter);
			reader.createGroup(StreamEntryID.XGROUP_LAST_ENTRY);
			readers.add(reader);
		}
		return start(readers, "jobqueue-events-" + group);
	}

	private static EventSubscription start(List<StreamReader> readers, String name) {
		List<Thread> threads = new ArrayList<>();
		for (StreamReader reader : readers) {
			Thread thread = new Thread(reader, name + "-" + reader.store.tag());
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		}
		return () -> {
			readers.forEach((reader) -> reader.open = false);
			for (Thread thread : threads) {
				try {
					thread.join(5 * BLOCK_MS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		};
	}

	@Override
	public void run() {
		long pause = 100;
		boolean failing = false;
		long nextClaim = 0;
		while (this.open) {
			try {
				if (this.group == null) {
					readBroadcast();
				}
				else {
					if (!this.groupReady) {
						// After a Redis restart without persistence the group is gone: everything the stream holds is new.
						this.partlyDelivered.clear();
						createGroup(new StreamEntryID(0, 0));
					}
					if (System.nanoTime() - nextClaim >= 0) {
						claim();
						nextClaim = System.nanoTime() + Math.max(this.claimAfterMillis / 2, 100) * 1_000_000;
					}
					readGroup();
				}
				if (failing) {
					logger.info("Events of {{}} are read again", this.store.tag());
					failing = false;
					pause = 100;
				}
			}
			catch (RuntimeException ex) {
				if (!this.open) {
					break;
				}
				if (!failing) {
					logger.warn("Cannot read the events of {{}} ({}); retrying", this.store.tag(), ex.toString());
					failing = true;
				}
				this.groupReady = false;
				sleep(pause);
				pause = Math.min(pause * 2, 2_000);
			}
		}
	}

	private void readBroadcast() {
		List<Map.Entry<String, List<StreamEntry>>> reply = this.redis.xread(
				XReadParams.xReadParams().count(COUNT).block(BLOCK_MS), Map.of(this.key, this.position));
		if (reply == null) {
			return;
		}
		for (Map.Entry<String, List<StreamEntry>> stream : reply) {
			for (StreamEntry entry : stream.getValue()) {
				deliver(entry);
				this.position = entry.getID();
			}
		}
	}

	private void createGroup(StreamEntryID from) {
		try {
			this.redis.xgroupCreate(this.key, this.group, from, true);
		}
		catch (RuntimeException ex) {
			if (ex.getMessage() == null || !ex.getMessage().startsWith("BUSYGROUP")) {
				throw ex;
			}
		}
		this.groupReady = true;
	}

	private void readGroup() {
		List<Map.Entry<String, List<StreamEntry>>> reply = this.redis.xreadGroup(this.group, this.consumer,
				XReadGroupParams.xReadGroupParams().count(COUNT).block(BLOCK_MS),
				Map.of(this.key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
		if (reply == null) {
			return;
		}
		for (Map.Entry<String, List<StreamEntry>> stream : reply) {
			deliverAndAcknowledge(stream.getValue());
		}
	}

	/**
	 * Takes over events another consumer (or this one) left unacknowledged for {@code claimAfter}, gives up on
	 * those delivered {@link #MAX_DELIVERIES} times, and forgets members long gone.
	 */
	private void claim() {
		StreamEntryID start = new StreamEntryID(0, 0);
		for (int round = 0; round < 10 && this.open; round++) {
			Map.Entry<StreamEntryID, List<StreamEntry>> reply = this.redis.xautoclaim(this.key, this.group, this.consumer,
					this.claimAfterMillis, start, XAutoClaimParams.xAutoClaimParams().count(COUNT));
			List<StreamEntry> claimed = reply.getValue();
			deliverAndAcknowledge(claimed, exhausted(claimed));
			start = reply.getKey();
			if (start.getTime() == 0 && start.getSequence() == 0) {
				break;
			}
		}
		forgetIdleConsumers();
	}

	/** The claimed entries delivered too often already (XAUTOCLAIM counts each claim as a delivery). */
	private Set<StreamEntryID> exhausted(List<StreamEntry> claimed) {
		if (claimed.isEmpty()) {
			return Set.of();
		}
		Set<StreamEntryID> exhausted = new HashSet<>();
		for (StreamPendingEntry pending : this.redis.xpending(this.key, this.group, XPendingParams.xPendingParams(
				claimed.get(0).getID(), claimed.get(claimed.size() - 1).getID(), claimed.size()).consumer(this.consumer))) {
			if (pending.getDeliveredTimes() > MAX_DELIVERIES) {
				exhausted.add(pending.getID());
			}
		}
		return exhausted;
	}

	private void forgetIdleConsumers() {
		for (StreamConsumerInfo member : this.redis.xinfoConsumers2(this.key, this.group)) {
			if (member.getPending() == 0 && member.getIdle() > FORGET_CONSUMER_MS && !member.getName().equals(this.consumer)) {
				this.redis.xgroupDelConsumer(this.key, this.group, member.getName());
			}
		}
	}

	private void deliverAndAcknowledge(List<StreamEntry> entries) {
		deliverAndAcknowledge(entries, Set.of());
	}

	private void deliverAndAcknowledge(List<StreamEntry> entries, Set<StreamEntryID> exhausted) {
		List<StreamEntryID> done = new ArrayList<>(entries.size());
		for (StreamEntry entry : entries) {
			if (exhausted.contains(entry.getID())) {
				logger.error("Event entry {} of {{}} was delivered {} times and failed each time; it is acknowledged and "
						+ "no longer delivered to group {}: {}", entry.getID(), this.store.tag(), MAX_DELIVERIES, this.group,
						entry.getFields());
				this.partlyDelivered.remove(entry.getID());
				done.add(entry.getID());
			}
			// XAUTOCLAIM gives entries trimmed meanwhile without fields: nothing left to deliver.
			else if (entry.getFields() == null || deliver(entry)) {
				done.add(entry.getID());
			}
		}
		if (!done.isEmpty()) {
			this.redis.xack(this.key, this.group, done.toArray(new StreamEntryID[0]));
		}
	}

	/** Delivers the entry's events; false when one could not be read or failed in the listener. */
	private boolean deliver(StreamEntry entry) {
		List<JobEvent> events;
		try {
			events = RedisEventStore.events(this.store, entry);
		}
		catch (RuntimeException ex) {
			logger.warn("Event {} of {{}} cannot be read", entry.getID(), this.store.tag(), ex);
			return false;
		}
		BitSet done = (this.group != null) ? this.partlyDelivered.remove(entry.getID()) : null;
		if (done == null) {
			done = new BitSet();
		}
		boolean delivered = true;
		synchronized (this.delivery) {
			// Every event of an entry is delivered even after one failed: a group claims the entry again, and this reader
			// then delivers only the events that failed.
			for (int i = 0; i < events.size(); i++) {
				if (done.get(i)) {
					continue;
				}
				try {
					this.listener.onEvent(events.get(i));
					done.set(i);
				}
				catch (Exception ex) {
					delivered = false;
					if (this.group != null) {
						logger.warn("Event {} of {{}} failed in its listener; it stays pending and is claimed again after {} ms",
								entry.getID(), this.store.tag(), this.claimAfterMillis, ex);
					}
					else {
						logger.warn("Event {} of {{}} failed in its listener", entry.getID(), this.store.tag(), ex);
					}
				}
			}
		}
		if (!delivered && this.group != null) {
			// Bounded: past it, entries left pending for good are delivered whole again (still at least once).
			if (this.partlyDelivered.size() >= 10_000) {
				this.partlyDelivered.clear();
			}
			this.partlyDelivered.put(entry.getID(), done);
		}
		return delivered;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
