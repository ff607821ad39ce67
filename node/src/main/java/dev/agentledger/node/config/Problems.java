package dev.agentledger.node.config;

import java.util.ArrayList;
import java.util.List;

/** Collects validation problems, each prefixed with the path of the field it concerns. */
public final class Problems {
  private final List<String> items = new ArrayList<>();

  public void add(String path, String message) {
    items.add(path.isEmpty() ? message : path + ": " + message);
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  int size() {
    return items.size();
  }

  List<String> list() {
    return List.copyOf(items);
  }

  /** Throws a {@link ConfigException} naming {@code source} when any problem was recorded. */
  public void throwIfAny(String source) throws ConfigException {
    if (!items.isEmpty()) {
      throw new ConfigException(source, items);
    }
  }

  public static String child(String parent, String field) {
    return parent.isEmpty() ? field : parent + "." + field;
  }

  public static String index(String parent, int i) {
    return parent + "[" + i + "]";
  }
}
