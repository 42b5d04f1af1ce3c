package dev.jobqueue.spring.observation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.MDC;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.spring.handler.JobExecutionInterceptor;

/**
 * Puts the job's id, type, queue and attempt in the MDC while its handler runs ({@value #JOB_ID},
 * {@value #JOB_TYPE}, {@value #JOB_QUEUE}, {@value #JOB_ATTEMPT}), with the dispatching thread's MDC entries
 * the job carries ({@link MdcDispatchInterceptor}); removes them all afterwards, whatever the outcome.
 */
public class MdcJobExecutionInterceptor implements JobExecutionInterceptor {

	public static final String JOB_ID = "jobId";

	public static final String JOB_TYPE = "jobType";

	public static final String JOB_QUEUE = "jobQueue";

	public static final String JOB_ATTEMPT = "jobAttempt";

	@Override
	public Object invoke(Job job, JobContext context, Attempt handler) throws Exception {
		List<String> keys = new ArrayList<>(List.of(JOB_ID, JOB_TYPE, JOB_QUEUE, JOB_ATTEMPT));
		for (Map.Entry<String, String> entry : job.metadata().entrySet()) {
			if (entry.getKey().startsWith(MdcDispatchInterceptor.PREFIX)) {
				String key = entry.getKey().substring(MdcDispatchInterceptor.PREFIX.length());
				MDC.put(key, entry.getValue());
				keys.add(key);
			}
		}
		// After the carried entries: metadata, set by whoever stored the job, cannot disguise which job this is.
		MDC.put(JOB_ID, context.jobId());
		MDC.put(JOB_TYPE, context.type());
		MDC.put(JOB_QUEUE, context.queue());
		MDC.put(JOB_ATTEMPT, String.valueOf(context.attempt()));
		try {
			return handler.run();
		}
		finally {
			keys.forEach(MDC::remove);
		}
	}

}
