package dev.agentledger.node.config;

import java.util.Locale;

/**
 * A host (name, IPv4 address or IPv6 address) and a TCP port, written {@code host:port} or {@code
 * [v6]:port}.
 */
public record HostPort(String host, int port) {
  public static final int MIN_PORT = 1;
  public static final int MAX_PORT = 65535;

  public HostPort {
    String problem = hostProblem(host);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (!isPort(port)) {
      throw new IllegalArgumentException(portProblem(port));
    }
  }

  /** Parses {@code host:port}; the exception message says what is wrong without a field name. */
  public static HostPort parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty address, expected host:port");
    }
    String host;
    String portText;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("'" + text + "' is not [ipv6]:port");
      }
      host = text.substring(1, close);
      portText = text.substring(close + 2);
    } else {
      int colon = text.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("'" + text + "' has no port, expected host:port");
      }
      host = text.substring(0, colon);
      portText = text.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw new IllegalArgumentException(
            "'" + text + "': write IPv6 addresses as [address]:port");
      }
    }
    long port;
    try {
      port = Long.parseLong(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port '" + portText + "' is not a number");
    }
    if (port < MIN_PORT || port > MAX_PORT) {
      throw new IllegalArgumentException(portProblem(port));
    }
    return new HostPort(host, (int) port);
  }

  public static boolean isPort(long port) {
    return port >= MIN_PORT && port <= MAX_PORT;
  }

  public static String portProblem(long port) {
    return port + " is not a port (" + MIN_PORT + ".." + MAX_PORT + ")";
  }

  /** Null when {@code host} is a plausible host name or address, otherwise why not. */
  public static String hostProblem(String host) {
    if (host == null || host.isEmpty()) {
      return "empty host";
    }
    if (host.length() > 253) {
      return "host name longer than 253 characters";
    }
    if (host.indexOf(':') >= 0) {
      return host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')
          ? null
          : "'" + host + "' is not an IPv6 address";
    }
    for (String label : host.toLowerCase(Locale.ROOT).split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63) {
        return "'" + host + "' is not a host name (empty or over-long label)";
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean ok =
            (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || (c == '-' && i > 0 && i < label.length() - 1)
                || c == '_';
        if (!ok) {
          return "'" + host + "' is not a host name (character '" + c + "')";
        }
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
