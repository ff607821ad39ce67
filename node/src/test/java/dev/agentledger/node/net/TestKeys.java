package dev.agentledger.node.net;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.sig.Ed25519KeyPair;
import java.util.ArrayList;
import java.util.List;

/** Deterministic validator keys and committees for tests. */
public final class TestKeys {
  private TestKeys() {}

  public static Ed25519KeyPair key(int i) {
    byte[] seed = new byte[32];
    seed[0] = (byte) (i + 1);
    seed[31] = 0x5A;
    return Ed25519KeyPair.fromSeed(seed);
  }

  /** {@code n} validators with stake 1 each at 127.0.0.1 and the given ports. */
  public static Committee committee(int n, int[] peerPorts, int[] clientPorts) {
    List<Committee.Validator> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      members.add(
          new Committee.Validator(
              i,
              "v" + i,
              key(i).publicKey(),
              1,
              List.of(),
              "127.0.0.1",
              peerPorts[i],
              clientPorts[i]));
    }
    return new Committee(0, 0, members);
  }

  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

  /** {@code n} currently free loopback ports, never one handed out before in this JVM. */
  public static synchronized int[] freePorts(int n) {
    int[] ports = new int[n];
    List<java.net.ServerSocket> sockets = new ArrayList<>();
    try {
      int found = 0;
      while (found < n) {
        java.net.ServerSocket s =
            new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        sockets.add(s);
        if (HANDED_OUT.add(s.getLocalPort())) {
          ports[found++] = s.getLocalPort();
        }
      }
      for (java.net.ServerSocket s : sockets) {
        s.close();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return ports;
  }
}
