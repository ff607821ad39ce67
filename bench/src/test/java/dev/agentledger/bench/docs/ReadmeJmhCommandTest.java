package dev.agentledger.bench.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The JMH commands in the READMEs name what the build makes: the bench jar under its final name
 * ({@code agentledger-bench.jar}, set in bench/pom.xml) or bench's classes, and the benchmark list
 * that {@code org.openjdk.jmh.Main} reads is generated into those classes.
 */
class ReadmeJmhCommandTest {
  private static final Pattern BENCH_PATH = Pattern.compile("bench/target/([A-Za-z0-9._-]+)");

  private static Path root() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("bench/pom.xml")) ? here : here.getParent();
  }

  @Test
  void everyBenchPathInAReadmeIsOneTheBuildWrites() throws IOException {
    String pom = Files.readString(root().resolve("bench/pom.xml"));
    Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
    assertThat(finalName.find()).isTrue();
    List<String> allowed = List.of(finalName.group(1) + ".jar", "classes", "lib");
    List<String> wrong = new ArrayList<>();
    List<Path> readmes;
    try (Stream<Path> files = Files.walk(root(), 2)) {
      readmes =
          files
              .filter(p -> p.getFileName().toString().equals("README.md"))
              .filter(p -> !p.toString().contains("/target/"))
              .toList();
    }
    assertThat(readmes).hasSizeGreaterThanOrEqualTo(2);
    for (Path readme : readmes) {
      Matcher m = BENCH_PATH.matcher(Files.readString(readme));
      while (m.find()) {
        if (!allowed.contains(m.group(1))) {
          wrong.add(root().relativize(readme) + ": bench/target/" + m.group(1));
        }
      }
    }
    assertThat(wrong).as("paths the build does not write").isEmpty();
  }

  @Test
  void theBenchmarkListJmhMainReadsIsGenerated() {
    assertThat(getClass().getResource("/META-INF/BenchmarkList"))
        .as("jmh-generator-annprocess output in bench's classes")
        .isNotNull();
  }
}
