package dev.jobqueue.core.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LockTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	RedisClient client;

	DistributedLock locks;

	List<Duration> waits = new ArrayList<>();

	@BeforeEach
	void setUp() {
		redis.server().flushAll();
		this.client = redis.server().client();
		this.locks = new DistributedLock(this.client, "jobqueue", (key, waited, acquired) -> this.waits.add(waited));
	}

	@AfterEach
	void tearDown() {
		this.locks.close();
	}

	@Test
	void aHeldLockIsRefusedAtOnceAndFreeAgainAfterRelease() {
		Lock lock = this.locks.acquire("report", Duration.ofSeconds(10)).orElseThrow();

		assertThat(this.locks.acquire("report", Duration.ofSeconds(10))).isEmpty();
		assertThat(lock.isHeld()).isTrue();
		assertThat(lock.release()).isTrue();
		assertThat(lock.isHeld()).isFalse();
		assertThat(this.locks.acquire("report", Duration.ofSeconds(10))).isPresent();
	}

	@Test
	void tokensKeepGrowingAfterTheLockKeyExpired() {
		Lock first = this.locks.acquire("report", Duration.ofMillis(200)).orElseThrow();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.client.exists("jobqueue:lock:{report}") == false);
		Lock second = this.locks.acquire("report", Duration.ofSeconds(10)).orElseThrow();
		second.release();
		Lock third = this.locks.acquire("report", Duration.ofSeconds(10)).orElseThrow();

		assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
		assertThat(third.fencingToken()).isGreaterThan(second.fencingToken());
	}

	@Test
	void aHolderWhoseLeaseRanOutCannotReleaseOrExtendTheNextHoldersLock() {
		Lock stale = this.locks.acquire("report", Duration.ofMillis(200)).orElseThrow();
		Lock next = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.locks.acquire("report", Duration.ofSeconds(10)), Optional::isPresent).orElseThrow();

		assertThat(stale.extend(Duration.ofSeconds(10))).isFalse();
		assertThat(stale.release()).isFalse();
		assertThat(stale.isLost()).isTrue();
		assertThat(next.isHeld()).isTrue();
	}

	@Test
	void aWaiterGetsTheLockWhenTheHolderReleasesIt() throws Exception {
		Lock holder = this.locks.acquire("report", Duration.ofSeconds(60)).orElseThrow();
		CompletableFuture<Optional<Lock>> waiter = CompletableFuture
			.supplyAsync(() -> uncheck(() -> this.locks.tryAcquire("report", Duration.ofSeconds(10), Duration.ofSeconds(30))));
		// The waiter blocks on the key's signal list instead of spinning.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.client.info("clients").contains("blocked_clients:1"));
		holder.release();

		Optional<Lock> got = waiter.get();
		assertThat(got).isPresent();
		assertThat(got.get().fencingToken()).isGreaterThan(holder.fencingToken());
		assertThat(this.waits).hasSize(1);
	}

	@Test
	void aWaiterGivesUpAfterItsMaximumWait() throws Exception {
		this.locks.acquire("report", Duration.ofSeconds(60)).orElseThrow();

		assertThat(this.locks.tryAcquire("report", Duration.ofSeconds(10), Duration.ofMillis(300))).isEmpty();
	}

	@Test
	void theWatchdogKeepsALockPastItsLeaseAndStopsAtRelease() {
		Lock lock = this.locks.acquire("report", Duration.ofMillis(600)).orElseThrow();
		AtomicBoolean lost = new AtomicBoolean();
		lock.keepAlive(() -> lost.set(true));
		long renewalsBefore = evalshaCalls();
		await().atMost(Duration.ofSeconds(20)).until(() -> evalshaCalls() >= renewalsBefore + 5);

		assertThat(lock.isHeld()).isTrue();
		assertThat(lost).isFalse();
		assertThat(lock.release()).isTrue();
		long after = evalshaCalls();
		// No renewal may bring the key back after the release (Redisson #7272).
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
			.until(() -> this.client.pttl("jobqueue:lock:{report}") == -2);
		assertThat(evalshaCalls()).isLessThanOrEqualTo(after + 1);
	}

	@Test
	void theWatchdogReportsALockDeletedUnderItsHolder() {
		Lock lock = this.locks.acquire("report", Duration.ofMillis(600)).orElseThrow();
		AtomicBoolean lost = new AtomicBoolean();
		lock.keepAlive(() -> lost.set(true));
		this.client.del("jobqueue:lock:{report}");

		await().atMost(Duration.ofSeconds(10)).untilTrue(lost);
		assertThat(lock.isLost()).isTrue();
	}

	@Test
	void withLockReleasesTheLockWhenTheActionThrows() {
		assertThatThrownBy(() -> this.locks.withLock("report", Duration.ofSeconds(10), (lock) -> {
			throw new IllegalStateException("boom");
		})).isInstanceOf(IllegalStateException.class);

		assertThat(this.client.exists("jobqueue:lock:{report}")).isFalse();
	}

	@Test
	void withLockRefusesWhenTheLockIsHeldAndReturnsTheActionsResultOtherwise() throws Exception {
		Lock holder = this.locks.acquire("report", Duration.ofSeconds(10)).orElseThrow();
		assertThatThrownBy(() -> this.locks.withLock("report", Duration.ofSeconds(10), (lock) -> "ran"))
			.isInstanceOf(LockUnavailableException.class);
		holder.release();

		String result = this.locks.withLock("report", Duration.ofSeconds(10), (lock) -> "ran with " + lock.fencingToken());
		assertThat(result).isEqualTo("ran with " + (holder.fencingToken() + 1));
	}

	@Test
	void withLockInterruptsAndFailsAnActionWhoseLockWasLost() {
		assertThatThrownBy(() -> this.locks.withLock("report", Duration.ofMillis(600), (lock) -> {
			this.client.del("jobqueue:lock:{report}");
			Thread.sleep(30_000);
			return "finished";
		})).isInstanceOfAny(InterruptedException.class, LockLostException.class);
		assertThat(Thread.interrupted()).isFalse();
	}

	@Test
	void aFencedWriteWithAnOlderTokenIsRefused() {
		FencedStore store = new FencedStore(this.client, "jobqueue");

		assertThat(store.write("account", 7, "seven")).isTrue();
		assertThat(store.write("account", 7, "seven again")).isTrue();
		assertThat(store.write("account", 6, "six")).isFalse();
		assertThat(store.read("account")).contains(new FencedStore.Fenced(7, "seven again"));
	}

	@Test
	void badInputIsAClearError() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.locks.acquire("report", Duration.ZERO))
			.withMessageContaining("lock TTL");
		assertThatIllegalArgumentException().isThrownBy(() -> this.locks.acquire("a {b}", Duration.ofSeconds(1)))
			.withMessageContaining("braces");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.locks.tryAcquire("report", Duration.ofSeconds(1), Duration.ofSeconds(-1)))
			.withMessageContaining("maximum wait");
	}

	private long evalshaCalls() {
		String stats = this.client.info("commandstats");
		for (String line : stats.split("\r?\n")) {
			if (line.startsWith("cmdstat_evalsha:")) {
				return Long.parseLong(line.replaceAll("^[^:]+:calls=(\\d+),.*", "$1"));
			}
		}
		return 0;
	}

	private static <T> T uncheck(java.util.concurrent.Callable<T> call) {
		try {
			return call.call();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
