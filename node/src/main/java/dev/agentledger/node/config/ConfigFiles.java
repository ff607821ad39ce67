package dev.agentledger.node.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * Reading and writing configuration documents. Files ending in {@code .json} are JSON, all others
 * YAML (a YAML parser also reads JSON). Writing never replaces an existing file.
 */
public final class ConfigFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  private ConfigFiles() {}

  static ObjectMapper mapperFor(Path path) {
    return isJson(path) ? JSON : YAML;
  }

  static boolean isJson(Path path) {
    return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
  }

  /** A fresh tree factory for building documents. */
  public static ObjectMapper json() {
    return JSON;
  }

  /** Parses a document; syntax errors and a missing file become a {@link ConfigException}. */
  public static JsonNode readTree(Path path) throws ConfigException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new ConfigException(path.toString(), List.of("file does not exist"));
    } catch (IOException e) {
      throw new ConfigException(path.toString(), List.of("cannot read: " + e.getMessage()));
    }
    return parse(path.toString(), bytes, isJson(path));
  }

  public static JsonNode parse(String source, byte[] bytes, boolean json) throws ConfigException {
    try {
      JsonNode node = (json ? JSON : YAML).readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new ConfigException(source, List.of("file is empty"));
      }
      return node;
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new ConfigException(
          source,
          List.of("not valid " + (json ? "JSON" : "YAML") + where + ": " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ConfigException(source, List.of("cannot parse: " + e.getMessage()));
    }
  }

  /** Renders a tree in the format the file name asks for. */
  public static String render(Path path, JsonNode tree) {
    try {
      String text = mapperFor(path).writeValueAsString(tree);
      return text.endsWith("\n") ? text : text + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render configuration", e);
    }
  }

  /** Writes {@code text} to a new file; refuses to replace an existing one. */
  public static void writeNew(Path path, String text) throws IOException {
    try {
      Files.writeString(
          path,
          text,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(
          path.toString(), null, "refusing to overwrite existing file");
    }
  }
}
