package dev.jobqueue.spring.observation;

import brave.Tracing;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.jobqueue.core.job.Job;

import static org.assertj.core.api.Assertions.assertThat;

/** A job stored by hand with junk in its trace metadata still runs, in a trace of its own. */
class MalformedTraceContextTests {

	private final Tracing tracing = Tracing.newBuilder().propagationFactory(new W3CPropagation()).build();

	private final BraveTracer tracer = new BraveTracer(this.tracing.tracer(),
			new BraveCurrentTraceContext(this.tracing.currentTraceContext()));

	@AfterEach
	void close() {
		this.tracing.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "junk", "", "00-zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-00f067aa0ba902b7-01",
			"00-00000000000000000000000000000000-0000000000000000-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x" })
	void anAttemptWithAMalformedTraceparentRunsItsHandler(String traceparent) throws Exception {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new PropagatingReceiverTracingObservationHandler<>(this.tracer,
					new BravePropagator(this.tracing)));
		Job job = Job.ofJson("t", "{}").withQueue("default").withMetadata("traceparent", traceparent);
		Object result = new JobObservations(registry).invoke(job, new TestJobContext(job), () -> this.tracer.currentSpan());
		assertThat(result).as("the attempt's span").isNotNull();
	}

	@Test
	void aWellFormedTraceparentIsContinued() throws Exception {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new PropagatingReceiverTracingObservationHandler<>(this.tracer,
					new BravePropagator(this.tracing)));
		Job job = Job.ofJson("t", "{}").withQueue("default")
			.withMetadata("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
		Object traceId = new JobObservations(registry).invoke(job, new TestJobContext(job),
				() -> this.tracer.currentSpan().context().traceId());
		assertThat(traceId).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
	}

}
