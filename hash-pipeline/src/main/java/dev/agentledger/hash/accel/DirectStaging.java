package dev.agentledger.hash.accel;

import java.nio.ByteBuffer;

/**
 * One thread's direct buffers for a level sent to a device: an input and an output buffer, each
 * grown (at least doubling) to the largest level seen, so a steady stream of levels allocates
 * nothing. Not thread-safe; the level hashers keep one per thread.
 */
final class DirectStaging {
  private ByteBuffer in = ByteBuffer.allocateDirect(0);
  private ByteBuffer out = ByteBuffer.allocateDirect(0);

  ByteBuffer in(int bytes) {
    if (in.capacity() < bytes) {
      in = ByteBuffer.allocateDirect(Math.max(bytes, 2 * in.capacity()));
    }
    return in;
  }

  ByteBuffer out(int bytes) {
    if (out.capacity() < bytes) {
      out = ByteBuffer.allocateDirect(Math.max(bytes, 2 * out.capacity()));
    }
    return out;
  }
}
