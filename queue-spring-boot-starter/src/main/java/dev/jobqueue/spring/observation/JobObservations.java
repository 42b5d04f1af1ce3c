package dev.jobqueue.spring.observation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.spring.dispatch.DispatchInterceptor;
import dev.jobqueue.spring.handler.JobExecutionInterceptor;

/**
 * Micrometer Observations of dispatches ({@value #DISPATCH}) and attempts ({@value #ATTEMPT}), tagged with
 * the low-cardinality {@code jobqueue.type}, {@code jobqueue.queue} and {@code jobqueue.outcome} only. The
 * dispatch is a sender: a tracer on the class path writes its context (W3C {@code traceparent}) into the
 * job's metadata, and each attempt, a receiver, continues that trace, however many workers and retries later.
 */
public class JobObservations implements DispatchInterceptor, JobExecutionInterceptor {

	public static final String DISPATCH = "jobqueue.dispatch";

	public static final String ATTEMPT = "jobqueue.attempt";

	private final ObservationRegistry registry;

	public JobObservations(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public <T> T dispatch(Job job, Function<Job, T> store) {
		Map<String, String> carrier = new LinkedHashMap<>();
		SenderContext<Map<String, String>> context = new SenderContext<>((map, key, value) -> map.put(key, value));
		context.setCarrier(carrier);
		context.setRemoteServiceName("jobqueue:" + job.queue());
		Observation observation = Observation.createNotStarted(DISPATCH, () -> context, this.registry)
			.contextualName("dispatch " + job.type())
			.lowCardinalityKeyValue("jobqueue.type", job.type())
			.lowCardinalityKeyValue("jobqueue.queue", job.queue())
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			T stored = store.apply(carrier.isEmpty() ? job : job.withMetadata(merged(job, carrier)));
			observation.lowCardinalityKeyValue("jobqueue.outcome", "success");
			return stored;
		}
		catch (RuntimeException | Error ex) {
			observation.lowCardinalityKeyValue("jobqueue.outcome", "failure");
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	/** The job's own metadata wins: a dispatch that set {@code traceparent} itself keeps it. */
	private static Map<String, String> merged(Job job, Map<String, String> carrier) {
		Map<String, String> metadata = new LinkedHashMap<>(carrier);
		metadata.putAll(job.metadata());
		return metadata;
	}

	@Override
	public Object invoke(Job job, JobContext jobContext, Attempt handler) throws Exception {
		ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get);
		context.setCarrier(job.metadata());
		context.setRemoteServiceName("jobqueue:" + jobContext.queue());
		Observation observation = Observation.createNotStarted(ATTEMPT, () -> context, this.registry)
			.contextualName("run " + jobContext.type())
			.lowCardinalityKeyValue("jobqueue.type", jobContext.type())
			.lowCardinalityKeyValue("jobqueue.queue", jobContext.queue())
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			Object result = handler.run();
			observation.lowCardinalityKeyValue("jobqueue.outcome", "success");
			return result;
		}
		catch (Exception | Error ex) {
			observation.lowCardinalityKeyValue("jobqueue.outcome", "failure");
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

}
