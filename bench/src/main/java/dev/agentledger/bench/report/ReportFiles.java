package dev.agentledger.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a report as {@code report.json} and {@code report.html} into a directory; reads JSON back.
 */
public final class ReportFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportFiles() {}

  /** The written files. */
  public record Written(Path json, Path html) {}

  public static Written write(RunReport report, Path directory) throws IOException {
    Files.createDirectories(directory);
    Path json = directory.resolve("report.json");
    Path html = directory.resolve("report.html");
    Files.writeString(json, toJson(report) + "\n", StandardCharsets.UTF_8);
    Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
    return new Written(json, html);
  }

  public static String toJson(RunReport report) throws IOException {
    return JSON.writeValueAsString(report);
  }

  /** Reads a report file as a tree (the projection reads only the fields it needs). */
  public static JsonNode readTree(Path json) throws IOException {
    JsonNode tree = JSON.readTree(json.toFile());
    if (tree == null || !RunReport.SCHEMA.equals(tree.path("schema").asText())) {
      throw new IOException(
          json + " is not an AgentLedger bench report (schema " + RunReport.SCHEMA + ")");
    }
    return tree;
  }
}
