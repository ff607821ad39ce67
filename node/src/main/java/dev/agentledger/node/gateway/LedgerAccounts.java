package dev.agentledger.node.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads an account from a validator's query API ({@code GET /v1/accounts/{key}}): its roles and
 * next nonce. The gateway asks once per agent and then counts nonces itself; it asks again after
 * the ledger refuses a nonce.
 */
public final class LedgerAccounts {
  /** An account as the ledger holds it now. */
  public record Account(boolean present, List<String> roles, long nextNonce) {
    public boolean isAgent() {
      return present && roles.contains("agent");
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<URI> bases;
  private final HttpClient http;
  private int next;

  /** {@code queryAddresses}: "host:port" of validators' query ports, tried in turn. */
  public LedgerAccounts(List<String> queryAddresses) {
    this(queryAddresses, null);
  }

  /** As above, over HTTPS trusting {@code tls} (null: plain HTTP). */
  public LedgerAccounts(List<String> queryAddresses, dev.agentledger.node.net.tls.ClientTls tls) {
    if (queryAddresses.isEmpty()) {
      throw new IllegalArgumentException("at least one query address");
    }
    String scheme = tls != null ? "https://" : "http://";
    this.bases = queryAddresses.stream().map(a -> URI.create(scheme + a)).toList();
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
    if (tls != null) {
      builder.sslContext(tls.context());
    }
    this.http = builder.build();
  }

  public Account account(byte[] publicKey) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < bases.size(); attempt++) {
      URI base = bases.get(Math.floorMod(next + attempt, bases.size()));
      try {
        HttpResponse<byte[]> response =
            http.send(
                HttpRequest.newBuilder(
                        base.resolve("/v1/accounts/" + HexFormat.of().formatHex(publicKey)))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
          throw new IOException(base + " answered " + response.statusCode());
        }
        JsonNode a = JSON.readTree(response.body());
        List<String> roles = new ArrayList<>();
        a.path("roles").forEach(r -> roles.add(r.asText()));
        return new Account(
            a.path("present").asBoolean(false),
            List.copyOf(roles),
            Long.parseUnsignedLong(a.path("nextNonce").asText("0")));
      } catch (IOException e) {
        last = e;
        next++;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    throw last;
  }
}
