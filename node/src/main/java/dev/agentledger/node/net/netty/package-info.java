/**
 * The Netty 4.2 leaf of {@link dev.agentledger.node.net.Transport}: io_uring (Linux 5.x+ kernels),
 * epoll, or NIO, chosen by probing ({@link dev.agentledger.node.net.netty.IoKind}); length-prefixed
 * frames split by {@link dev.agentledger.node.net.netty.FrameDecoder} (a frame over the port bound
 * is discarded unbuffered and answered or refused) and validated by {@link
 * dev.agentledger.node.net.Wire}; backpressure from channel writability.
 *
 * <p>A client connection's SUBMIT_RESULTs leave in the order of its SUBMITs ({@link
 * dev.agentledger.node.net.netty.AnswerOrder}, on the connection's event loop): an answer ready
 * before an earlier SUBMIT's is held until that one has gone out. SUBMIT_RESULTs are never dropped
 * while the connection is open; while it is unwritable the node stops reading it.
 *
 * <p>A validator link's pipeline is the traffic counter ({@link
 * dev.agentledger.node.net.netty.PeerTraffic}: socket reads, writes, flushes and bytes, one
 * instance for every link, reported in {@code GET /status} {@code network}) → {@code SslHandler}
 * (JDK engine from {@code net.tls}, mutual TLS 1.3, handshake timeout) → flush consolidation →
 * frame decoder → link handler. The link handler learns the peer's validator index only from the
 * completed handshake (the key in the peer's verified certificate) and drops any frame that arrives
 * before it. Frames that other threads send to a peer reach its event loop through a {@link
 * dev.agentledger.node.net.netty.LinkSendQueue}: a bounded queue drained by one task that writes
 * everything queued and flushes once, so a stage's duty cycle costs the link one task, one wake-up
 * and one flush rather than one of each per frame.
 *
 * <p>The one-live-link rule: a validator has at most one registered link per peer. A connection
 * that authenticates as a peer whose registered link is still active is closed, and the live link
 * is kept; it takes the slot only once the registered link is inactive. Why: under TLS only the
 * holder of a key can authenticate as it, so a second connection is either that validator
 * reconnecting or its genuine handshake relayed by someone else. Letting the newcomer win would let
 * anyone who can replay or relay a connection attempt cut a working link, which is the hijack this
 * rule prevents. The cost falls on the honest reconnect after a crash the acceptor has not noticed:
 * the stale connection dies at the first segment sent on it (the restarted peer's kernel answers
 * with a reset) or when TCP gives up, and until then the dialer's refused attempts back off
 * exponentially (at most 2 s apart). A link that never carried a frame also backs off, so a refused
 * dialer does not spin through handshakes.
 */
package dev.agentledger.node.net.netty;
