package dev.jobqueue.spring.handler;

/**
 * A {@code @JobHandler} that cannot run as written (two handlers of one type, a queue that is not configured,
 * a parameter nothing can supply, a setting that does not parse): stops start-up with what is wrong and the fix,
 * which Boot reports as its "APPLICATION FAILED TO START" block.
 */
public class JobHandlerDefinitionException extends IllegalStateException {

	private final String description;

	private final String action;

	public JobHandlerDefinitionException(String description, String action) {
		this(description, action, null);
	}

	public JobHandlerDefinitionException(String description, String action, Throwable cause) {
		super(description + " " + action, cause);
		this.description = description;
		this.action = action;
	}

	/** What is wrong, naming the method. */
	public String getDescription() {
		return this.description;
	}

	/** How to fix it. */
	public String getAction() {
		return this.action;
	}

}
