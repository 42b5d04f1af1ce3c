package dev.jobqueue.core.job;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generates job ids: 20 characters of lower-case Crockford base32, time-ordered to the millisecond
 * (9 characters of time, 11 random characters: 55 random bits). Short, because an id is stored
 * several times per job in Redis. Thread-safe.
 */
public final class JobIds {

	private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

	private JobIds() {
	}

	public static String next() {
		return at(System.currentTimeMillis());
	}

	/** A new id whose time is {@code epochMillis}. */
	public static String at(long epochMillis) {
		char[] id = new char[20];
		long time = epochMillis;
		for (int i = 8; i >= 0; i--) {
			id[i] = ALPHABET[(int) (time & 31)];
			time >>>= 5;
		}
		long random = ThreadLocalRandom.current().nextLong();
		for (int i = 19; i >= 9; i--) {
			id[i] = ALPHABET[(int) (random & 31)];
			random >>>= 5;
		}
		return new String(id);
	}

	/** The time (epoch ms) an id of this form carries, or -1 when {@code id} is not of this form. */
	public static long timeOf(String id) {
		if (id.length() != 20) {
			return -1;
		}
		long time = 0;
		for (int i = 0; i < 20; i++) {
			int digit = Arrays.binarySearch(ALPHABET, id.charAt(i));
			if (digit < 0) {
				return -1;
			}
			if (i < 9) {
				time = (time << 5) | digit;
			}
		}
		return time;
	}

}
