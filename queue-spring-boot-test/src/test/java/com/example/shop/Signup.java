package com.example.shop;

import org.springframework.stereotype.Service;

import dev.jobqueue.spring.dispatch.DispatchOptions;
import dev.jobqueue.spring.dispatch.JobDispatcher;
import dev.jobqueue.spring.dispatch.JobRef;

@Service
public class Signup {

	private final JobDispatcher jobs;

	public Signup(JobDispatcher jobs) {
		this.jobs = jobs;
	}

	public JobRef signUp(String email) {
		// The id is an idempotency key: signing up twice sends one welcome.
		return this.jobs.dispatch("send_welcome", new Emails.Welcome(email),
				DispatchOptions.none().id("welcome-" + email));
	}

}
