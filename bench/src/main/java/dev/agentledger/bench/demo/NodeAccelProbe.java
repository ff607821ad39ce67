package dev.agentledger.bench.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the validators say about their accelerators: the signature backend each one's {@code GET
 * /status} names ({@code accel.sigverify}) and the kernel launches of a backend its {@code GET
 * /metrics} counts ({@code agentledger_accel_launches_total}), read over HTTP after a run.
 */
public final class NodeAccelProbe {
  private static final Pattern SIGVERIFY = Pattern.compile("\"sigverify\":\"([^\"]*)\"");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<InetSocketAddress> queries;

  public NodeAccelProbe(List<InetSocketAddress> queries) {
    this.queries = List.copyOf(queries);
  }

  /** Each validator's {@code accel.sigverify}, or {@code ?} where its status could not be read. */
  public List<String> sigverifyBackends() {
    List<String> out = new ArrayList<>();
    for (InetSocketAddress q : queries) {
      String body = get(q, "/status");
      Matcher m = body == null ? null : SIGVERIFY.matcher(body);
      out.add(m != null && m.find() ? m.group(1) : "?");
    }
    return out;
  }

  /**
   * Each validator's {@code agentledger_accel_launches_total} summed over the series of {@code
   * backend}; -1 where its metrics could not be read.
   */
  public List<Long> launches(String backend) {
    Pattern series =
        Pattern.compile(
            "^agentledger_accel_launches_total\\{[^}]*backend=\""
                + Pattern.quote(backend)
                + "\"[^}]*\\} (\\d+)$",
            Pattern.MULTILINE);
    List<Long> out = new ArrayList<>();
    for (InetSocketAddress q : queries) {
      String body = get(q, "/metrics");
      if (body == null) {
        out.add(-1L);
        continue;
      }
      long sum = 0;
      Matcher m = series.matcher(body);
      while (m.find()) {
        sum += Long.parseLong(m.group(1));
      }
      out.add(sum);
    }
    return out;
  }

  private String get(InetSocketAddress q, String path) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + q.getHostString() + ":" + q.getPort() + path))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
