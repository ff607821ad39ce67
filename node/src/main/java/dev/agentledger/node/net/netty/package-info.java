/**
 * The Netty 4.2 leaf of {@link dev.agentledger.node.net.Transport}: io_uring (Linux 5.x+ kernels),
 * epoll, or NIO, chosen by probing ({@link dev.agentledger.node.net.netty.IoKind}); length-prefixed
 * frames split by {@link dev.agentledger.node.net.netty.FrameDecoder} (a frame over the port bound
 * is discarded unbuffered and answered or refused) and validated by {@link
 * dev.agentledger.node.net.Wire}; backpressure from channel writability.
 */
package dev.agentledger.node.net.netty;
