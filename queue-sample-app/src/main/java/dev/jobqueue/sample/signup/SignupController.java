package dev.jobqueue.sample.signup;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.jobqueue.spring.dispatch.DispatchOptions;
import dev.jobqueue.spring.dispatch.JobDispatcher;

/** Sign-up: answers at once and leaves the welcome e-mail to a job. */
@RestController
class SignupController {

	record Signup(String email, String name) {
	}

	private final JobDispatcher jobs;

	SignupController(JobDispatcher jobs) {
		this.jobs = jobs;
	}

	@PostMapping("/signup")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, String> signup(@RequestBody Signup signup) {
		// The id is an idempotency key: signing up twice sends one welcome e-mail.
		String id = this.jobs.dispatch("send_welcome_email", new WelcomeEmail(signup.email(), signup.name()),
				DispatchOptions.none().id("welcome-" + signup.email()).metadata("source", "signup")).id();
		return Map.of("queue", "emails", "job", id);
	}

}
