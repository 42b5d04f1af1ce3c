package dev.jobqueue.core.lock;

/** The lock's lease ran out while the holder was still working: another holder may have overlapped. */
public class LockLostException extends RuntimeException {

	public LockLostException(String message) {
		super(message);
	}

}
