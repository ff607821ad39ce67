package dev.agentledger.node.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON casing rule of every HTTP answer and {@code --json} output: each field name is
 * camelCase. Members whose keys are data (a thread group, a commit index) rather than field names
 * are named in {@code dataMaps}; their keys are not checked, their values are.
 */
public final class JsonCasing {
  /** A camelCase field name: a lower-case letter, then letters and digits. */
  public static final Pattern CAMEL_CASE = Pattern.compile("^[a-z][a-zA-Z0-9]*$");

  /** The status JSON's members whose keys are data: thread groups and commit indices. */
  public static final Set<String> STATUS_DATA_MAPS =
      Set.of("threadsCpuMs", "threadsAllocatedBytes", "consensus.commitChain");

  private JsonCasing() {}

  /** The paths of field names that are not camelCase, e.g. {@code consensus.commit_chain}. */
  public static List<String> offences(JsonNode json, Set<String> dataMaps) {
    List<String> out = new ArrayList<>();
    walk(json, "", false, dataMaps, out);
    return out;
  }

  /** Fails, naming each offending path, when a field name of {@code json} is not camelCase. */
  public static void assertCamelCase(JsonNode json, Set<String> dataMaps) {
    assertThat(offences(json, dataMaps))
        .as("field names that are not camelCase in %s", json)
        .isEmpty();
  }

  private static void walk(
      JsonNode json, String path, boolean keysAreData, Set<String> dataMaps, List<String> out) {
    if (json.isArray()) {
      for (int i = 0; i < json.size(); i++) {
        walk(json.get(i), path + "[" + i + "]", false, dataMaps, out);
      }
    } else if (json.isObject()) {
      for (Map.Entry<String, JsonNode> e : json.properties()) {
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (!keysAreData && !CAMEL_CASE.matcher(e.getKey()).matches()) {
          out.add(child);
        }
        String member = keysAreData ? path + ".*" : child;
        walk(e.getValue(), member, dataMaps.contains(member), dataMaps, out);
      }
    }
  }
}
