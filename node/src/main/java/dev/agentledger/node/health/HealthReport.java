package dev.agentledger.node.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named checks, each passed or failed with a one-line detail, in the order they were added. The
 * report passes when every check passes.
 */
public final class HealthReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One check's outcome. */
  public record Check(boolean ok, String detail) {}

  private final Map<String, Check> checks = new LinkedHashMap<>();

  /** Adds (or replaces) the check {@code name}; returns this report. */
  public HealthReport check(String name, boolean ok, String detail) {
    checks.put(name, new Check(ok, detail));
    return this;
  }

  /** Adds every check of {@code other}. */
  public HealthReport include(HealthReport other) {
    checks.putAll(other.checks);
    return this;
  }

  /** True when every check passed (an empty report passes). */
  public boolean ok() {
    for (Check c : checks.values()) {
      if (!c.ok()) {
        return false;
      }
    }
    return true;
  }

  public Map<String, Check> checks() {
    return Collections.unmodifiableMap(checks);
  }

  /** The HTTP status a probe answers: 200 when the report passes, 503 when it does not. */
  public int httpStatus() {
    return ok() ? 200 : 503;
  }

  /** {@code {"status":"ok"|"unavailable","checks":{"NAME":{"ok":BOOL,"detail":"..."},...}}}. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("status", ok() ? "ok" : "unavailable");
    ObjectNode out = root.putObject("checks");
    for (Map.Entry<String, Check> e : checks.entrySet()) {
      out.putObject(e.getKey()).put("ok", e.getValue().ok()).put("detail", e.getValue().detail());
    }
    return root.toString();
  }
}
