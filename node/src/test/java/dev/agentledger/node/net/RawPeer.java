package dev.agentledger.node.net;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A hand-played connection to a node port for tests: length-prefixed frames over a plain socket
 * (client port) or a TLS socket (peer port, see {@code net.tls.TlsPeers}).
 */
final class RawPeer implements AutoCloseable {
  final Socket socket;
  final DataInputStream in;
  final OutputStream out;

  RawPeer(int port) throws IOException {
    this(new Socket("127.0.0.1", port));
  }

  RawPeer(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  void send(UnsafeBuffer frame, int length) throws IOException {
    byte[] bytes = new byte[4 + length];
    new UnsafeBuffer(bytes).putInt(0, length, java.nio.ByteOrder.LITTLE_ENDIAN);
    frame.getBytes(0, bytes, 4, length);
    out.write(bytes);
    out.flush();
  }

  /** The next frame, or null at end of stream (the node closed the link). */
  UnsafeBuffer read() throws IOException {
    try {
      int length = Integer.reverseBytes(in.readInt());
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      return new UnsafeBuffer(bytes);
    } catch (EOFException | java.net.SocketException e) {
      return null;
    }
  }

  boolean closedByNode() throws IOException {
    while (true) {
      if (read() == null) {
        return true;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
