package dev.jobqueue.spring.dispatch;

import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.jobqueue.spring.autoconfigure.JobQueueAutoConfiguration;
import dev.jobqueue.test.LocalRedisServer;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Dispatches inside transactions at the edges: from another after-commit callback, Redis down at the commit, ids on two queues. */
@ExtendWith(OutputCaptureExtension.class)
class DispatchEdgeTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JobQueueAutoConfiguration.class))
		.withUserConfiguration(Transactions.class)
		.withPropertyValues("spring.data.redis.port=" + redis.server().port(), "jobqueue.worker.enabled=false",
				"jobqueue.queues.default.concurrency=1", "jobqueue.queues.emails.concurrency=1");

	@Test
	void aJobDispatchedFromAnotherCallbackAfterTheCommitIsStored() {
		this.runner.run((context) -> {
			JobDispatcher dispatcher = context.getBean(JobDispatcher.class);
			AtomicReference<JobRef> ref = new AtomicReference<>();
			new TransactionTemplate(context.getBean(PlatformTransactionManager.class)).executeWithoutResult((status) ->
					TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

						@Override
						public void afterCommit() {
							ref.set(dispatcher.dispatch("late", "x"));
						}

					}));
			assertThat(ref.get().info()).as("job dispatched from an afterCommit callback").isPresent();
		});
	}

	@Test
	void whenRedisIsDownAtTheCommitEveryJobNotStoredIsLoggedAndTheCommitterLearnsOfIt(CapturedOutput output) {
		try (LocalRedisServer doomed = LocalRedisServer.create().start()) {
			this.runner.withPropertyValues("spring.data.redis.port=" + doomed.port()).run((context) -> {
				JobDispatcher dispatcher = context.getBean(JobDispatcher.class);
				TransactionTemplate transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
				assertThatExceptionOfType(JobQueueException.class).isThrownBy(() -> transaction.executeWithoutResult((status) -> {
					dispatcher.dispatch("a", "x", DispatchOptions.none().id("first"));
					dispatcher.dispatch("a", "x", DispatchOptions.none().id("second"));
					doomed.close();
				})).satisfies((ex) -> assertThat(ex.getSuppressed()).hasSize(1));
				assertThat(output).contains("Job first (a) was not stored after the transaction committed")
					.contains("Job second (a) was not stored after the transaction committed");
			});
		}
	}

	@Test
	void whenRedisIsDownAtTheCommitAChainAndABatchNotStoredAreLoggedAndTheCommitterLearnsOfIt(CapturedOutput output) {
		try (LocalRedisServer doomed = LocalRedisServer.create().start()) {
			this.runner.withPropertyValues("spring.data.redis.port=" + doomed.port()).run((context) -> {
				JobDispatcher dispatcher = context.getBean(JobDispatcher.class);
				TransactionTemplate transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
				assertThatExceptionOfType(JobQueueException.class).isThrownBy(() -> transaction.executeWithoutResult((status) -> {
					dispatcher.chain().id("chain-1").add("a", "x").dispatch();
					dispatcher.batch("emails").id("batch-1").add("a", "x").dispatch();
					doomed.close();
				}))
					.withMessageStartingWith("Could not dispatch chain chain-1 of queue 'default': ")
					.satisfies((ex) -> assertThat(ex.getSuppressed()).hasSize(1));
				assertThat(output).contains("Chain chain-1 of queue 'default' was not stored after the transaction committed")
					.contains("Batch batch-1 of queue 'emails' was not stored after the transaction committed");
			});
		}
	}

	@Test
	void findingAnIdThatTwoQueuesHoldNamesBothInsteadOfPickingOne() {
		this.runner.run((context) -> {
			JobDispatcher dispatcher = context.getBean(JobDispatcher.class);
			dispatcher.dispatch("a", "x", DispatchOptions.onQueue("default").id("order-1"));
			dispatcher.dispatch("a", "x", DispatchOptions.onQueue("emails").id("order-1"));
			assertThatIllegalStateException().isThrownBy(() -> dispatcher.find("order-1"))
				.withMessageContaining("[default, emails]");
			assertThat(dispatcher.find("order-2")).isEmpty();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Transactions {

		@Bean
		DataSource dataSource() {
			return new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2).generateUniqueName(true).build();
		}

		@Bean
		PlatformTransactionManager transactionManager(DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

	}

}
