package com.example.shop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** README's "Use it in your application" shows these files as they are, so what it teaches is what the build runs. */
class ReadmeTests {

	private static final Path README = Path.of("..", "README.md");

	private static final Path SOURCES = Path.of("src", "test", "java", "com", "example", "shop");

	@ParameterizedTest
	@ValueSource(strings = { "ShopApplication.java", "Emails.java", "Signup.java", "SignupTests.java" })
	void readmeShowsTheExampleFileVerbatim(String file) throws IOException {
		String source = Files.readString(SOURCES.resolve(file));
		assertThat(Files.readString(README)).contains("```java\n" + source + "```\n");
	}

	@ParameterizedTest
	@ValueSource(strings = { "application.yml" })
	void readmeShowsTheExampleConfiguration(String file) throws IOException {
		String source = Files.readString(Path.of("src", "test", "resources", file));
		assertThat(Files.readString(README)).contains(source + "```\n");
	}

}
