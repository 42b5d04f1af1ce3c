package dev.jobqueue.spring.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.spring.annotation.JobHandler;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.queue.JobQueues;
import dev.jobqueue.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** An application mapper with default typing changes nothing jobqueue writes to Redis or reads from it. */
class PayloadCodecIsolationTests {

	@RegisterExtension
	static RedisServerExtension redis = new RedisServerExtension();

	record Email(String to, Map<String, Object> extra) {
	}

	@Test
	void theApplicationsDefaultTypingIsNotInherited() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JobQueueAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.port=" + redis.server().port(), "jobqueue.worker.enabled=false")
			.withUserConfiguration(TypingMapper.class, Handler.class)
			.run((context) -> {
				Email email = new Email("ada@example.com", Map.of("n", 1));
				// The application's own mapper writes class names: this is what must not reach Redis.
				assertThat(context.getBean(JsonMapper.class).writeValueAsString(email)).contains(Email.class.getName());

				PayloadCodec codec = context.getBean(PayloadCodec.class);
				assertThat(codec.write(email)).isEqualTo("{\"to\":\"ada@example.com\",\"extra\":{\"n\":1}}");
				assertThat(codec.read("{\"to\":\"grace@example.com\",\"extra\":{\"n\":2}}", Email.class))
					.isEqualTo(new Email("grace@example.com", Map.of("n", 2)));

				String id = context.getBean(JobDispatcher.class).dispatch("send", email).id();
				assertThat(context.getBean(JobQueues.class).get("default").get(id).orElseThrow().job().payload())
					.doesNotContain("@class").doesNotContain(Email.class.getName());
				assertThat(context.getBean(JobDispatcher.class).dispatchSync("send", email)).isEqualTo("ada@example.com1");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class TypingMapper {

		@Bean
		JsonMapper jsonMapper() {
			PolymorphicTypeValidator anything = BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build();
			return JsonMapper.builder().activateDefaultTyping(anything, DefaultTyping.NON_FINAL_AND_RECORDS).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Handler {

		@JobHandler("send")
		String send(Email email) {
			return email.to() + email.extra().get("n");
		}

	}

}
