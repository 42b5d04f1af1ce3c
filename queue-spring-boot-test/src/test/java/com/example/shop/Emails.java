package com.example.shop;

import org.springframework.stereotype.Component;

import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.spring.annotation.JobHandler;

@Component
public class Emails {

	public record Welcome(String to) {
	}

	public record Receipt(String to, int attempt) {
	}

	// Throw to fail the attempt (retried with back-off); the returned value is stored as the job's result.
	@JobHandler(value = "send_welcome", queue = "emails", maxRetries = "5", timeout = "30s")
	public Receipt send(Welcome welcome, JobContext context) {
		if (!welcome.to().contains("@")) {
			throw new IllegalArgumentException("not an email address: " + welcome.to());
		}
		return new Receipt(welcome.to(), context.attempt());
	}

}
