package dev.agentledger.node.net.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/** The Netty I/O transports in order of preference, each probed without throwing. */
public enum IoKind {
  IO_URING("io_uring"),
  EPOLL("epoll"),
  NIO("nio");

  private final String label;

  IoKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** io_uring when the kernel allows it, else epoll, else NIO. */
  public static IoKind detect() {
    if (available(IO_URING)) {
      return IO_URING;
    }
    return available(EPOLL) ? EPOLL : NIO;
  }

  /** Whether this kind can run here; the reason it cannot is in {@link #unavailabilityCause}. */
  public static boolean available(IoKind kind) {
    try {
      return switch (kind) {
        case IO_URING -> IoUring.isAvailable();
        case EPOLL -> Epoll.isAvailable();
        case NIO -> true;
      };
    } catch (Throwable t) {
      return false;
    }
  }

  public static String unavailabilityCause(IoKind kind) {
    try {
      Throwable cause =
          switch (kind) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            case NIO -> null;
          };
      return cause == null ? "available" : String.valueOf(cause);
    } catch (Throwable t) {
      return String.valueOf(t);
    }
  }

  /** Parses "io_uring", "epoll", "nio" or "auto" (null means auto). */
  public static IoKind parse(String text) {
    if (text == null || text.equals("auto")) {
      return detect();
    }
    for (IoKind kind : values()) {
      if (kind.label.equals(text)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown transport '" + text + "': expected auto, io_uring, epoll or nio");
  }

  IoHandlerFactory handlerFactory() {
    return switch (this) {
      case IO_URING -> IoUringIoHandler.newFactory();
      case EPOLL -> EpollIoHandler.newFactory();
      case NIO -> NioIoHandler.newFactory();
    };
  }

  Class<? extends ServerChannel> serverChannel() {
    return switch (this) {
      case IO_URING -> IoUringServerSocketChannel.class;
      case EPOLL -> EpollServerSocketChannel.class;
      case NIO -> NioServerSocketChannel.class;
    };
  }

  Class<? extends SocketChannel> socketChannel() {
    return switch (this) {
      case IO_URING -> IoUringSocketChannel.class;
      case EPOLL -> EpollSocketChannel.class;
      case NIO -> NioSocketChannel.class;
    };
  }
}
