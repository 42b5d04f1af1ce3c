package dev.jobqueue.core.worker;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** The handler threads wake lazily, yet every queued job gets a thread while one is free. */
class HandlerPoolTests {

	private HandlerPool pool;

	@AfterEach
	void shutDown() {
		if (this.pool != null) {
			this.pool.shutdownNow();
		}
	}

	@Test
	void aBurstOfJobsThatWaitForEachOtherRunsAllAtOnceOnAThreadEach() throws Exception {
		this.pool = new HandlerPool(50, HandlerThreads.platformThreadFactory("test-handler-", true));
		for (int round = 0; round < 3; round++) {
			CountDownLatch allRunning = new CountDownLatch(50);
			CountDownLatch finished = new CountDownLatch(50);
			for (int i = 0; i < 50; i++) {
				this.pool.execute(() -> {
					allRunning.countDown();
					try {
						if (allRunning.await(30, TimeUnit.SECONDS)) {
							finished.countDown();
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
			}
			assertThat(finished.await(30, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void manyShortJobsHandedOverOneByOneAllRun() {
		this.pool = new HandlerPool(8, HandlerThreads.platformThreadFactory("test-handler-", true));
		AtomicInteger ran = new AtomicInteger();
		for (int i = 0; i < 100_000; i++) {
			this.pool.execute(ran::incrementAndGet);
			if (i % 1_000 == 0) {
				Thread.yield();
			}
		}
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ran).hasValue(100_000));
	}

	@Test
	void aThreadAddedForAHeldOneRunsTheNextJobAndRetiresOnceGivenBack() throws Exception {
		this.pool = new HandlerPool(1, HandlerThreads.platformThreadFactory("test-handler-", true));
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch held = new CountDownLatch(1);
		this.pool.execute(() -> {
			held.countDown();
			awaitQuietly(release);
		});
		assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
		this.pool.addThread();
		CountDownLatch second = new CountDownLatch(1);
		this.pool.execute(second::countDown);
		assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.pool.threads()).isEqualTo(2);
		release.countDown();
		this.pool.removeThread();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.pool.threads() == 1);
		CountDownLatch third = new CountDownLatch(1);
		this.pool.execute(third::countDown);
		assertThat(third.await(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void aJobHandedOverWhileAThreadRetiresStillRuns() throws Exception {
		this.pool = new HandlerPool(2, HandlerThreads.platformThreadFactory("test-handler-", true));
		for (int round = 0; round < 300; round++) {
			// A lent thread given back as a job arrives: the thread woken to retire may be the only one the job counted
			// on. The window is a few instructions wide (a 1 ms pause put into it fails this test at once).
			this.pool.addThread();
			Thread.sleep(5);
			this.pool.removeThread();
			long until = System.nanoTime() + ThreadLocalRandom.current().nextInt(50_000);
			while (System.nanoTime() < until) {
				Thread.onSpinWait();
			}
			CountDownLatch ran = new CountDownLatch(1);
			this.pool.execute(ran::countDown);
			assertThat(ran.await(10, TimeUnit.SECONDS)).as("round %d", round).isTrue();
		}
	}

	@Test
	void anInterruptMeantForOneJobDoesNotReachTheNext() throws Exception {
		this.pool = new HandlerPool(1, HandlerThreads.platformThreadFactory("test-handler-", true));
		this.pool.execute(() -> Thread.currentThread().interrupt());
		AtomicBoolean interrupted = new AtomicBoolean(true);
		CountDownLatch ran = new CountDownLatch(1);
		this.pool.execute(() -> {
			interrupted.set(Thread.currentThread().isInterrupted());
			ran.countDown();
		});
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(interrupted).isFalse();
	}

	@Test
	void shuttingDownInterruptsRunningJobsRefusesNewOnesAndEndsEveryThread() throws Exception {
		this.pool = new HandlerPool(4, HandlerThreads.platformThreadFactory("test-handler-", true));
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		this.pool.execute(() -> {
			started.countDown();
			try {
				Thread.sleep(60_000);
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
			}
		});
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		this.pool.shutdownNow();
		assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> this.pool.execute(() -> {
		}));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.pool.threads() == 0);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
