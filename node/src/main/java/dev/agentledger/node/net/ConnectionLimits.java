package dev.agentledger.node.net;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The connection bounds of one listening port: how many connections it holds at most, how many of
 * them may come from one remote address, how long a connection may stay silent, and how long a
 * frame (or HTTP request) that has started to arrive may take to arrive whole (a truncated frame or
 * a slow-loris sender is closed). Counting is thread-safe; the transport closes a connection that
 * {@link #tryOpen} refuses at once.
 */
public final class ConnectionLimits {
  /**
   * @param maxConnections connections the port holds at most
   * @param maxPerAddress connections from one remote address at most
   * @param readIdleMs a connection that sends nothing for this long is closed
   * @param frameTimeoutMs a frame that started to arrive must be complete within this long
   */
  public record Settings(
      int maxConnections, int maxPerAddress, long readIdleMs, long frameTimeoutMs) {
    public Settings {
      if (maxConnections < 1 || maxPerAddress < 1 || readIdleMs < 1 || frameTimeoutMs < 1) {
        throw new IllegalArgumentException("connection limits must be positive: " + this);
      }
    }

    /** Client port: 4096 connections, 64 per address, 300 s idle, 10 s per frame. */
    public static Settings clientDefaults() {
      return new Settings(4096, 64, 300_000, 10_000);
    }

    /**
     * Peer port: every other validator twice over plus 8 (reconnects overlap a closing link), one
     * address may hold every validator (a cluster on one host), 60 s idle (the consensus sends
     * every 500 ms at least), 30 s per frame (a full 1.3 MB batch on a slow link).
     */
    public static Settings peerDefaults(int committeeSize) {
      return new Settings(2 * committeeSize + 8, committeeSize + 2, 60_000, 30_000);
    }

    /** HTTP query port: 1024 connections, 64 per address, 60 s idle, 10 s per request. */
    public static Settings httpDefaults() {
      return new Settings(1024, 64, 60_000, 10_000);
    }
  }

  /** Why a connection was refused. */
  public enum Refusal {
    PORT_FULL,
    ADDRESS_FULL
  }

  private final Settings settings;
  private final Map<InetAddress, Integer> perAddress = new HashMap<>();
  private int open;
  private long refused;
  private long timedOut;

  public ConnectionLimits(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  /** Counts a new connection from {@code address}; null when admitted, else why not. */
  public synchronized Refusal tryOpen(InetAddress address) {
    if (open >= settings.maxConnections()) {
      refused++;
      return Refusal.PORT_FULL;
    }
    int mine = perAddress.getOrDefault(address, 0);
    if (mine >= settings.maxPerAddress()) {
      refused++;
      return Refusal.ADDRESS_FULL;
    }
    perAddress.put(address, mine + 1);
    open++;
    return null;
  }

  /** Forgets an admitted connection from {@code address}. */
  public synchronized void closed(InetAddress address) {
    Integer mine = perAddress.get(address);
    if (mine == null) {
      throw new IllegalStateException("no open connection from " + address);
    }
    if (mine == 1) {
      perAddress.remove(address);
    } else {
      perAddress.put(address, mine - 1);
    }
    open--;
  }

  /** Connections now open. */
  public synchronized int open() {
    return open;
  }

  /** Connections refused by {@link #tryOpen} since start. */
  public synchronized long refused() {
    return refused;
  }

  /** An admitted connection was closed for silence or for a frame not whole in time. */
  public synchronized void onTimedOut() {
    timedOut++;
  }

  /** Connections closed for silence or for a frame not whole in time, since start. */
  public synchronized long timedOut() {
    return timedOut;
  }
}
