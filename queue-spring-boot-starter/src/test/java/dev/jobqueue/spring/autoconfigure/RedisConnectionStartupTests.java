package dev.jobqueue.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;
import redis.clients.jedis.UnifiedJedis;

import dev.jobqueue.spring.it.TestJobsApplication;
import dev.jobqueue.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * How the application starts against real Redis servers that refuse it: a password-protected one
 * and a TLS one whose certificate (made here with keytool) names another host. Configuration errors
 * stop start-up with a report naming the property; an unreachable Redis does not.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisConnectionStartupTests {

	@Test
	void theStarterCreatesOneRedisClientAndNoSpringDataConnectionFactory() {
		try (LocalRedisServer server = LocalRedisServer.create().start();
				ConfigurableApplicationContext context = start("spring.data.redis.port=" + server.port())) {
			assertThat(context.getBeansOfType(UnifiedJedis.class)).hasSize(1);
			assertThat(ClassUtils.isPresent("org.springframework.data.redis.connection.RedisConnectionFactory", null)).isFalse();
			assertThat(Arrays.stream(context.getBeanDefinitionNames()).map(context::getType))
				.noneMatch((type) -> type != null && type.getName().startsWith("org.springframework.data.redis"));
		}
	}

	@Test
	void aMissingPasswordStopsStartUpNamingTheProperty(CapturedOutput output) {
		try (LocalRedisServer server = passwordProtected("s3cret")) {
			assertThatException().isThrownBy(() -> start("spring.data.redis.port=" + server.port()))
				.withStackTraceContaining(RedisConnectionConfigurationException.class.getName());
			assertThat(output).contains("APPLICATION FAILED TO START").contains("requires a password")
				.contains("Set spring.data.redis.password");
		}
	}

	@Test
	void aWrongPasswordStopsStartUpNamingTheProperty(CapturedOutput output) {
		try (LocalRedisServer server = passwordProtected("s3cret")) {
			assertThatException().isThrownBy(() -> start("spring.data.redis.port=" + server.port(),
					"spring.data.redis.password=wrong"));
			assertThat(output).contains("APPLICATION FAILED TO START").contains("WRONGPASS")
				.contains("Correct spring.data.redis.username and spring.data.redis.password");
		}
	}

	@Test
	void theRightPasswordFromTheUrlConnects() {
		try (LocalRedisServer server = passwordProtected("s3cret");
				ConfigurableApplicationContext context = start("spring.data.redis.url=redis://:s3cret@127.0.0.1:" + server.port() + "/2")) {
			UnifiedJedis client = context.getBean(UnifiedJedis.class);
			client.set("where", "db 2");
			assertThat(client.get("where")).isEqualTo("db 2");
		}
	}

	@Test
	void anUnreachableRedisIsOnlyAWarning(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start("spring.data.redis.port=" + freePort(),
				"spring.data.redis.timeout=500ms")) {
			assertThat(context.isRunning()).isTrue();
			assertThat(output).contains("does not answer at start-up").contains("health is DOWN");
		}
	}

	@Test
	void aCertificateForAnotherHostStopsStartUp(@TempDir Path directory, CapturedOutput output) throws Exception {
		Path certificate = certificate(directory, "other.example", "dns:other.example");
		try (TlsRedis redis = new TlsRedis(directory, certificate)) {
			assertThatException().isThrownBy(() -> start(redis.properties("localhost")));
			assertThat(output).contains("APPLICATION FAILED TO START").contains("The TLS handshake with Redis at localhost:")
				.contains("set spring.data.redis.host to a name it lists");
		}
	}

	@Test
	void aCertificateForTheHostConnectsOverTls(@TempDir Path directory) throws Exception {
		Path certificate = certificate(directory, "localhost", "dns:localhost,ip:127.0.0.1");
		try (TlsRedis redis = new TlsRedis(directory, certificate);
				ConfigurableApplicationContext context = start(redis.properties("localhost"))) {
			UnifiedJedis client = context.getBean(UnifiedJedis.class);
			client.set("over", "tls");
			assertThat(client.get("over")).isEqualTo("tls");
		}
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(TestJobsApplication.class).web(WebApplicationType.NONE)
			.properties("jobqueue.worker.enabled=false")
			.properties(properties)
			.run();
	}

	/** A server started open (the test kit pings it), then given a password, as an operator would. */
	private static LocalRedisServer passwordProtected(String password) {
		LocalRedisServer server = LocalRedisServer.create().start();
		server.client().configSet("requirepass", password);
		return server;
	}

	/** A self-signed certificate for {@code name}, made with the JDK's keytool; its PEM files beside it. */
	private static Path certificate(Path directory, String name, String subjectAlternativeNames) throws Exception {
		Path keystore = directory.resolve("server.p12");
		run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "redis",
				"-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=" + name, "-ext",
				"SAN=" + subjectAlternativeNames, "-keystore", keystore.toString(), "-storetype", "PKCS12",
				"-storepass", "changeit", "-keypass", "changeit"));
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keystore)) {
			store.load(in, "changeit".toCharArray());
		}
		Files.writeString(directory.resolve("server.key"),
				pem("PRIVATE KEY", store.getKey("redis", "changeit".toCharArray()).getEncoded()));
		Path certificate = directory.resolve("server.crt");
		Files.writeString(certificate, pem("CERTIFICATE", store.getCertificate("redis").getEncoded()));
		return certificate;
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
			.encodeToString(der) + "\n-----END " + type + "-----\n";
	}

	private static void run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(out).isZero();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** redis-server with a TLS port beside its plain one (which only the test kit uses, to see it is up). */
	private static final class TlsRedis implements AutoCloseable {

		final int tlsPort = freePort();

		final Path certificate;

		final LocalRedisServer server;

		TlsRedis(Path directory, Path certificate) {
			this.certificate = certificate;
			this.server = LocalRedisServer.builder()
				.setting("tls-port", String.valueOf(this.tlsPort))
				.setting("tls-cert-file", certificate.toString())
				.setting("tls-key-file", directory.resolve("server.key").toString())
				.setting("tls-ca-cert-file", certificate.toString())
				.setting("tls-auth-clients", "no")
				.build()
				.start();
		}

		/** The client's settings: TLS to the TLS port, trusting exactly this certificate. */
		String[] properties(String host) {
			return new String[] { "spring.data.redis.host=" + host, "spring.data.redis.port=" + this.tlsPort,
					"spring.data.redis.ssl.bundle=redis",
					"spring.ssl.bundle.pem.redis.truststore.certificate=file:" + this.certificate };
		}

		@Override
		public void close() {
			this.server.close();
		}

	}

}
