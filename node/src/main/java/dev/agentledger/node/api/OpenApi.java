package dev.agentledger.node.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 document of the node's HTTP API ({@code GET /openapi.json}): the resource {@code
 * openapi.json} beside this class, read once. {@code OpenApiDocumentTest} validates it with
 * {@code @apidevtools/swagger-parser} and checks that every route it lists answers.
 */
public final class OpenApi {
  private static final byte[] DOCUMENT = load();

  private OpenApi() {}

  /** The document's bytes (UTF-8 JSON; a copy). */
  public static byte[] document() {
    return DOCUMENT.clone();
  }

  private static byte[] load() {
    try (InputStream in = OpenApi.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the node jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
