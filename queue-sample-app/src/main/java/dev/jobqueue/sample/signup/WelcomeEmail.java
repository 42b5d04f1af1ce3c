package dev.jobqueue.sample.signup;

/** The payload of a welcome e-mail job. */
public record WelcomeEmail(String to, String name) {
}
