package dev.agentledger.node.net;

import java.net.InetAddress;

/**
 * The layout of a client connection id ({@link TransportListener#onClientFrame}): the low {@link
 * #SEQUENCE_BITS} bits number the connection, the high {@link #ADDRESS_BITS} bits are a keyed hash
 * of its remote address (an IPv6 address by its /64 prefix), so stages behind the transport can
 * limit per remote address without a lookup. The key is the transport's secret: which addresses
 * share a hash cannot be chosen from outside.
 */
public final class ClientConnectionIds {
  public static final int SEQUENCE_BITS = 40;
  public static final int ADDRESS_BITS = 24;

  private ClientConnectionIds() {}

  /** The id of connection number {@code sequence} from {@code address}. */
  public static long of(long sequence, InetAddress address, long key) {
    long sequenceMask = (1L << SEQUENCE_BITS) - 1;
    return (sequence & sequenceMask) | ((long) addressHash(address, key) << SEQUENCE_BITS);
  }

  /** The remote-address hash a connection id carries ({@link #ADDRESS_BITS} bits). */
  public static int addressHash(long connectionId) {
    return (int) (connectionId >>> SEQUENCE_BITS);
  }

  /** A keyed {@link #ADDRESS_BITS}-bit hash of an IPv4 address or an IPv6 /64 prefix. */
  static int addressHash(InetAddress address, long key) {
    byte[] bytes = address == null ? new byte[0] : address.getAddress();
    int length = bytes.length == 16 ? 8 : bytes.length;
    long h = key ^ length;
    for (int i = 0; i < length; i++) {
      h = (h ^ (bytes[i] & 0xFF)) * 0x100000001B3L;
    }
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 32;
    return (int) (h & ((1 << ADDRESS_BITS) - 1));
  }
}
