package dev.jobqueue.spring.aot;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.javapoet.ClassName;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.util.ReflectionUtils;

import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.spring.annotation.JobHandler;

import static org.assertj.core.api.Assertions.assertThat;

/** Spring's AOT processing of an application with handlers yields the hints a native image needs. */
class JobQueueAotTests {

	record Email(String to, List<Attachment> attachments) {
	}

	record Attachment(String name) {
	}

	record Receipt(String id) {
	}

	static class Emails {

		@JobHandler("send_email")
		Receipt send(Email email, JobContext context) {
			return new Receipt(email.to());
		}

	}

	static class NotAHandler {

		void send(Email email) {
		}

	}

	@Test
	void handlersPayloadsResultsAndScriptsGetHints() {
		RuntimeHints hints = process(Emails.class);

		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(ReflectionUtils.findMethod(Emails.class, "send", Email.class, JobContext.class)))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Email.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Attachment.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Receipt.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(JobContext.class)).rejects(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("dev/jobqueue/core/leader/campaign.lua")).accepts(hints);
	}

	@Test
	void beansWithoutHandlersGetNone() {
		RuntimeHints hints = process(NotAHandler.class);

		assertThat(RuntimeHintsPredicates.reflection().onType(Email.class)).rejects(hints);
	}

	private static RuntimeHints process(Class<?> beanClass) {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.registerBean(beanClass);
			DefaultGenerationContext generation = new DefaultGenerationContext(
					new ClassNameGenerator(ClassName.get(JobQueueAotTests.class)), new InMemoryGeneratedFiles());
			new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
			return generation.getRuntimeHints();
		}
	}

}
