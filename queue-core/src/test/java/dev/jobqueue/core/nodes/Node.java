package dev.jobqueue.core.nodes;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@link NodeMain} with the test classpath, for races between processes and for
 * SIGSTOP / SIGCONT / SIGKILL. Its output goes to a temporary log file that {@link #log()} reads.
 */
public final class Node implements AutoCloseable {

	private final Process process;

	private final File log;

	private Node(Process process, File log) {
		this.process = process;
		this.log = log;
	}

	/** Starts {@code NodeMain <mode> <port> <args...>}. */
	public static Node start(String mode, int redisPort, Object... args) throws IOException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				NodeMain.class.getName(), mode, String.valueOf(redisPort)));
		for (Object arg : args) {
			command.add(String.valueOf(arg));
		}
		File log = File.createTempFile("node-" + mode, ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
		return new Node(process, log);
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** Freezes the JVM (SIGSTOP): every thread stops, as in a long GC pause. */
	public void pause() throws Exception {
		signal("-STOP");
	}

	/** Thaws a paused JVM (SIGCONT). */
	public void resume() throws Exception {
		signal("-CONT");
	}

	/** Kills the JVM with SIGKILL and waits for it to be gone. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	/** Waits for the JVM to end by itself; returns its exit code. */
	public int awaitExit(long seconds) throws InterruptedException {
		if (!this.process.waitFor(seconds, TimeUnit.SECONDS)) {
			throw new AssertionError("Node did not finish within " + seconds + " s; log:\n" + log());
		}
		return this.process.exitValue();
	}

	public String log() {
		try {
			return Files.readString(this.log.toPath());
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	private void signal(String signal) throws Exception {
		int exit = new ProcessBuilder("kill", signal, String.valueOf(pid())).inheritIO().start().waitFor();
		// A JVM that ended by itself meanwhile has nothing left to signal.
		if (exit != 0 && this.process.isAlive()) {
			throw new IllegalStateException("kill " + signal + " " + pid() + " exited with " + exit);
		}
	}

	@Override
	public void close() throws Exception {
		// SIGKILL ends a paused JVM too.
		kill();
	}

}
