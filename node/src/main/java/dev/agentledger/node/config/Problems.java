package dev.agentledger.node.config;

import java.util.ArrayList;
import java.util.List;

/** Collects validation problems, each prefixed with the path of the field it concerns. */
final class Problems {
  private final List<String> items = new ArrayList<>();

  void add(String path, String message) {
    items.add(path.isEmpty() ? message : path + ": " + message);
  }

  boolean isEmpty() {
    return items.isEmpty();
  }

  int size() {
    return items.size();
  }

  List<String> list() {
    return List.copyOf(items);
  }

  /** Throws a {@link ConfigException} naming {@code source} when any problem was recorded. */
  void throwIfAny(String source) throws ConfigException {
    if (!items.isEmpty()) {
      throw new ConfigException(source, items);
    }
  }

  static String child(String parent, String field) {
    return parent.isEmpty() ? field : parent + "." + field;
  }

  static String index(String parent, int i) {
    return parent + "[" + i + "]";
  }
}
