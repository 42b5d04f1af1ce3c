package dev.jobqueue.spring.dashboard;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.stream.Stream;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for the browser tests: Debian's {@code chromium} and {@code chromedriver}
 * (.ci/run installs them), driven by Selenium without its driver download.
 */
final class Chromium {

	static final Path SCREENSHOTS = Paths.get("target", "dashboard-screenshots");

	private Chromium() {
	}

	static ChromeDriver start() {
		String browser = find("chromium", "chromium-browser", "google-chrome");
		String driver = find("chromedriver");
		ChromeOptions options = new ChromeOptions().setBinary(browser)
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
					"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--window-size=1280,900");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver))
			.usingAnyFreePort()
			.build();
		ChromeDriver chrome = new ChromeDriver(service, options);
		chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
		chrome.manage().window().setSize(new Dimension(1280, 900));
		return chrome;
	}

	static Path screenshot(ChromeDriver chrome, String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Path file = SCREENSHOTS.resolve(name + ".png");
			Files.write(file, ((TakesScreenshot) chrome).getScreenshotAs(OutputType.BYTES));
			return file;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String find(String... names) {
		String path = System.getenv("PATH");
		for (String name : names) {
			for (String dir : path.split(File.pathSeparator)) {
				Path candidate = Paths.get(dir, name);
				if (Files.isExecutable(candidate)) {
					return candidate.toString();
				}
			}
		}
		throw new IllegalStateException("None of " + Stream.of(names).toList() + " is on PATH: the browser tests need "
				+ "Debian's chromium and chromium-driver packages (apt-get install -y chromium chromium-driver)");
	}

}
