package dev.jobqueue.core.shard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * Consistent hashing of job ids onto shards: each shard owns {@value #POINTS} points of a 64-bit ring, placed
 * by hashing its tag, and an id belongs to the shard owning the first point at or after the id's hash. The
 * same id always maps to the same shard for the same shard tags, and adding a shard moves only the ids that
 * now fall before its points, about 1/N of them. Immutable and thread-safe.
 */
final class ConsistentHashRing {

	static final int POINTS = 1_000;

	private final long[] points;

	private final int[] owners;

	ConsistentHashRing(List<String> shardNames) {
		int count = shardNames.size() * POINTS;
		long[][] entries = new long[count][];
		for (int shard = 0; shard < shardNames.size(); shard++) {
			for (int point = 0; point < POINTS; point++) {
				entries[shard * POINTS + point] = new long[] { hash(shardNames.get(shard) + "/" + point), shard };
			}
		}
		Arrays.sort(entries, (a, b) -> (a[0] != b[0]) ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
		this.points = new long[count];
		this.owners = new int[count];
		for (int i = 0; i < count; i++) {
			this.points[i] = entries[i][0];
			this.owners[i] = (int) entries[i][1];
		}
	}

	/** The index of the shard {@code id} belongs to. */
	int shardOf(String id) {
		int at = Arrays.binarySearch(this.points, hash(id));
		if (at < 0) {
			at = -at - 1;
		}
		return this.owners[(at == this.points.length) ? 0 : at];
	}

	/** The first 8 bytes of MD5: the same on every JVM and evenly spread, which is all a ring needs. */
	static long hash(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8));
			long hash = 0;
			for (int i = 0; i < 8; i++) {
				hash = (hash << 8) | (digest[i] & 0xff);
			}
			return hash;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
