package dev.agentledger.node.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * An error answer in the RFC 9457 "problem details" form, media type {@value #MEDIA_TYPE}: {@code
 * type} (a URI naming the kind of problem: {@code urn:agentledger:problem:<slug>}), {@code title}
 * (the same for every problem of that type), {@code status} (the HTTP status), {@code detail} (this
 * occurrence). The extension member {@code error} repeats {@code detail}, the field the query API's
 * error bodies have always carried.
 */
public record Problem(int status, String slug, String title, String detail) {
  public static final String MEDIA_TYPE = "application/problem+json";
  public static final String TYPE_PREFIX = "urn:agentledger:problem:";

  public String type() {
    return TYPE_PREFIX + slug;
  }

  public ObjectNode toJson() {
    return JsonNodeFactory.instance
        .objectNode()
        .put("type", type())
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .put("error", detail);
  }

  public byte[] body() {
    return toJson().toString().getBytes(StandardCharsets.UTF_8);
  }

  public static Problem badRequest(String detail) {
    return new Problem(400, "bad-request", "The request cannot be read", detail);
  }

  public static Problem badTransaction(String detail) {
    return new Problem(
        400, "bad-transaction", "A transaction in the request cannot be read", detail);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "not-found", "No such resource", detail);
  }

  public static Problem methodNotAllowed(String detail) {
    return new Problem(405, "method-not-allowed", "Method not allowed here", detail);
  }

  public static Problem tooLarge(String detail) {
    return new Problem(413, "too-large", "The request body is too large", detail);
  }

  public static Problem unsupportedMediaType(String detail) {
    return new Problem(415, "unsupported-media-type", "The body must be application/json", detail);
  }

  public static Problem overloaded(String detail) {
    return new Problem(503, "overloaded", "The node cannot take transactions now", detail);
  }

  public static Problem ingressUnavailable(String detail) {
    return new Problem(503, "ingress-unavailable", "The node's ingress cannot be reached", detail);
  }

  /** A problem for an existing error answer of the query API (status and message). */
  public static Problem ofStatus(int status, String detail) {
    return switch (status) {
      case 400 -> badRequest(detail);
      case 404 -> notFound(detail);
      case 405 -> methodNotAllowed(detail);
      case 410 -> new Problem(410, "pruned", "The state version was pruned", detail);
      case 503 -> new Problem(503, "not-certified", "Not certified yet", detail);
      default -> new Problem(status, "error-" + status, "Request failed", detail);
    };
  }
}
