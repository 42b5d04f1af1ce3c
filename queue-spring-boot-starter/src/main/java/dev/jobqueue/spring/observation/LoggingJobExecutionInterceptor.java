package dev.jobqueue.spring.observation;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jobqueue.core.job.Job;
import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.spring.handler.JobExecutionInterceptor;
import dev.jobqueue.core.worker.Durations;

/**
 * Logs every execution at INFO ({@code jobqueue.worker.log-execution=true}): its start, and its outcome with
 * how long the handler ran. Logger {@code dev.jobqueue.execution}.
 */
public class LoggingJobExecutionInterceptor implements JobExecutionInterceptor {

	private static final Logger logger = LoggerFactory.getLogger("dev.jobqueue.execution");

	@Override
	public Object invoke(Job job, JobContext context, Attempt handler) throws Exception {
		logger.info("Job {} ({}) started on queue '{}', attempt {}", context.jobId(), context.type(), context.queue(),
				context.attempt());
		long started = System.nanoTime();
		try {
			Object result = handler.run();
			logger.info("Job {} ({}) succeeded in {}", context.jobId(), context.type(), took(started));
			return result;
		}
		catch (Exception | Error ex) {
			logger.info("Job {} ({}) failed in {}: {}", context.jobId(), context.type(), took(started), ex.toString());
			throw ex;
		}
	}

	private static String took(long started) {
		return Durations.format(Duration.ofNanos(System.nanoTime() - started));
	}

}
