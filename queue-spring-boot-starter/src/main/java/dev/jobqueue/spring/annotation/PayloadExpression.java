package dev.jobqueue.spring.annotation;

import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.MapAccessor;
import org.springframework.expression.spel.support.SimpleEvaluationContext;

import dev.jobqueue.core.codec.PayloadCodec;
import dev.jobqueue.core.job.Job;

/**
 * A SpEL expression over a job's payload, read as a JSON object whose fields are properties ({@code tenantId},
 * {@code customer.id}). Evaluated in a {@link SimpleEvaluationContext}: no type references, constructors or bean
 * references, so a payload cannot make it run code. Thread-safe.
 */
final class PayloadExpression {

	private static final SpelExpressionParser PARSER = new SpelExpressionParser();

	private final String source;

	private final Expression expression;

	private final PayloadCodec codec;

	PayloadExpression(String source, PayloadCodec codec) {
		this.source = source;
		this.codec = codec;
		try {
			this.expression = PARSER.parseExpression(source);
		}
		catch (ParseException ex) {
			throw new IllegalArgumentException("'" + source + "' is not a SpEL expression: " + ex.getMessage(), ex);
		}
	}

	Object evaluate(Job job) {
		Object payload = this.codec.read(job.payload(), Object.class);
		SimpleEvaluationContext context = SimpleEvaluationContext.forPropertyAccessors(new MapAccessor())
			.withRootObject(payload)
			.build();
		return this.expression.getValue(context);
	}

	String key(Job job) {
		Object key = evaluate(job);
		if (key == null) {
			throw new IllegalArgumentException("The key expression '" + this.source + "' is null for job " + job.id());
		}
		return String.valueOf(key);
	}

	boolean test(Job job) {
		return Boolean.TRUE.equals(evaluate(job));
	}

	@Override
	public String toString() {
		return this.source;
	}

}
