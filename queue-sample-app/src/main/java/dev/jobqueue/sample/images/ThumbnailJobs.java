package dev.jobqueue.sample.images;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.jobqueue.core.job.JobContext;
import dev.jobqueue.spring.annotation.JobHandler;
import dev.jobqueue.spring.dispatch.JobDispatcher;

/** Thumbnails: a slower job that reports its progress and returns a result. */
@Component
class ThumbnailJobs {

	record Thumbnail(String image, int width) {
	}

	record Rendered(String image, String thumbnail, int width) {
	}

	@JobHandler(value = "make_thumbnail", queue = "images", timeout = "2m")
	Rendered render(Thumbnail request, JobContext context) throws InterruptedException {
		for (int step = 1; step <= 4; step++) {
			context.stopIfRequested();
			Thread.sleep(150);
			context.updateProgress(step * 25);
		}
		String image = request.image();
		int dot = image.lastIndexOf('.');
		String suffix = "-" + request.width() + "px";
		String thumbnail = (dot > 0) ? image.substring(0, dot) + suffix + image.substring(dot) : image + suffix;
		return new Rendered(image, thumbnail, request.width());
	}

	@RestController
	static class ThumbnailController {

		private final JobDispatcher jobs;

		ThumbnailController(JobDispatcher jobs) {
			this.jobs = jobs;
		}

		@PostMapping("/images/{image}/thumbnail")
		@ResponseStatus(HttpStatus.ACCEPTED)
		Map<String, String> thumbnail(@PathVariable String image) {
			return Map.of("queue", "images", "job", this.jobs.dispatch("make_thumbnail", new Thumbnail(image, 128)).id());
		}

	}

}
