#!/usr/bin/env python3
"""delay-switch.py: a learning Ethernet switch in userspace that delays every frame.

    delay-switch.py [--delay 5ms] [--jitter 1ms] [--reorder] [--queue-bytes N] [--seed S] [--name N] PORT...

netns-cluster.sh runs it inside the bridge namespace when the kernel has no tc netem: each PORT
(vbr0, vbr1, ...) is the switch-side end of a veth pair whose other end is a node's eth0. It
opens one AF_PACKET/SOCK_RAW socket per port (ETH_P_ALL), learns the source MAC address of each
received frame, and sends the frame out of the port its destination MAC was learned on (to all
other ports for broadcast, multicast and unknown destinations), no earlier than delay +- jitter
after it arrived. A frame passes the switch once on its way from one node to another, so the
one-way delay between two nodes is --delay and a round trip is twice that.

Order: the release time of a frame is never earlier than that of the previous frame received
on the same port, so the frames a node sends are never reordered (like one netem queue on that
node's egress without reordering); --reorder drops that rule and lets jitter reorder.

Offloads: the sockets carry a virtio-net header (PACKET_VNET_HDR) with each frame, so GSO/GRO
frames larger than the MTU and frames whose checksum the sender left to offload are forwarded
as they are; the receiving kernel completes them exactly as it would behind a bridge.

A port that is set down (ip link set vbrN down: the cut) receives nothing and frames for it are
dropped; when it comes up again (the heal) it forwards again. Frames the switch itself sends
(sll_pkttype PACKET_OUTGOING) are never forwarded.

It prints one line 'delay-switch: ready: ...' once every port is open, and on SIGTERM or SIGINT
one line with the counts of received, forwarded and dropped frames, then exits 0.
Python 3 standard library only; runs as root (CAP_NET_RAW) in the namespace that holds the ports.
"""

import argparse
import ctypes
import errno
import heapq
import os
import random
import re
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_STATISTICS = 6         # struct tpacket_stats {tp_packets, tp_drops}, reset when read
PACKET_VNET_HDR = 15
PACKET_IGNORE_OUTGOING = 23
PACKET_OUTGOING = 4
VNET_HDR_LEN = 10            # struct virtio_net_hdr (no num_buffers)
ETH_HLEN = 14
BUFFER = 256 * 1024          # a GSO frame is at most 64 KiB (more only with BIG TCP)
BATCH = 64                   # frames read from one port before looking at the others again


class Stop(Exception):
    pass


def parse_time(text):
    """'5ms', '500us', '0.2s', '0' -> seconds (tc's spellings: us/usec, ms/msec, s/sec)."""
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(us|usec|ms|msec|s|sec|secs)?\s*", text)
    if not m or (m.group(2) is None and float(m.group(1)) != 0):
        raise argparse.ArgumentTypeError(f"'{text}' is not a time such as 5ms, 500us or 0.1s")
    value = float(m.group(1))
    unit = m.group(2) or "s"
    return value * {"us": 1e-6, "usec": 1e-6, "ms": 1e-3, "msec": 1e-3}.get(unit, 1.0)


def exit_with_parent():
    """Ask the kernel for SIGTERM when the parent (the script) dies, even by SIGKILL."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:
        raise Stop()


class Port:
    def __init__(self, index, name, rcvbuf):
        self.index = index
        self.name = name
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        try:
            self.sock.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)
        except OSError:
            pass  # kernels before 4.20: the sll_pkttype check below is enough
        self.sock.setsockopt(SOL_PACKET, PACKET_VNET_HDR, 1)
        for option in (getattr(socket, "SO_RCVBUFFORCE", 33), socket.SO_RCVBUF):
            try:
                self.sock.setsockopt(socket.SOL_SOCKET, option, rcvbuf)
                break
            except OSError:
                continue
        self.sock.bind((name, ETH_P_ALL))
        self.sock.setblocking(False)
        self.last_release = 0.0

    def kernel_drops(self):
        """Frames the kernel dropped because this socket's receive buffer was full."""
        try:
            return struct.unpack("II", self.sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8))[1]
        except OSError:
            return 0


def main():
    parser = argparse.ArgumentParser(description="userspace learning switch that delays every frame")
    parser.add_argument("--delay", type=parse_time, default=parse_time("5ms"), help="one-way delay per frame (default 5ms)")
    parser.add_argument("--jitter", type=parse_time, default=parse_time("0ms"), help="uniform +- jitter (default 0)")
    parser.add_argument("--reorder", action="store_true", help="let jitter reorder the frames of one port")
    parser.add_argument("--queue-bytes", type=int, default=64 << 20, help="frames held at most (bytes, default 64 MiB); beyond: dropped")
    parser.add_argument("--seed", type=int, default=None, help="seed of the jitter (default: random)")
    parser.add_argument("--name", default="", help="a name for ps and the log lines (netns-cluster.sh: its namespace prefix)")
    parser.add_argument("ports", nargs="+", help="interfaces to switch between, e.g. vbr0 vbr1 vbr2")
    args = parser.parse_args()
    if len(set(args.ports)) != len(args.ports) or len(args.ports) < 2:
        parser.error("give at least two distinct ports")

    def on_signal(signum, frame):
        raise Stop()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    stats = {"kernel_drops": 0, "received": 0, "forwarded": 0, "forwarded_bytes": 0, "dropped_queue": 0,
             "dropped_send": 0, "dropped_port_down": 0, "filtered": 0}
    ports = []
    try:
        exit_with_parent()
        try:
            ports = [Port(i, name, 4 << 20) for i, name in enumerate(args.ports)]
        except OSError as e:
            print(f"delay-switch: cannot open the ports {args.ports}: {e}", file=sys.stderr, flush=True)
            return 1
        print(f"delay-switch: ready:{' ' + args.name + ':' if args.name else ''} {len(ports)} ports {' '.join(args.ports)}, delay {args.delay * 1e3:g} ms "
              f"+- {args.jitter * 1e3:g} ms per frame (one-way per hop), "
              f"{'jitter may reorder' if args.reorder else 'order kept per port'}, pid {os.getpid()}", flush=True)
        run(args, ports, stats)
    except Stop:
        pass
    finally:
        for port in ports:
            stats["kernel_drops"] += port.kernel_drops()
            port.sock.close()
    dropped = stats["dropped_queue"] + stats["dropped_send"] + stats["dropped_port_down"] + stats["kernel_drops"]
    print(f"delay-switch: stopped: received {stats['received']} frames, forwarded {stats['forwarded']} "
          f"({stats['forwarded_bytes']} bytes), dropped {dropped} (receive buffer full {stats['kernel_drops']}, "
          f"queue full {stats['dropped_queue']}, "
          f"port down {stats['dropped_port_down']}, send failed {stats['dropped_send']}), "
          f"filtered {stats['filtered']} (destination on the arrival port)", flush=True)
    return 0


def run(args, ports, stats):
    rng = random.Random(args.seed)
    delay, jitter, reorder = args.delay, args.jitter, args.reorder
    by_fd = {p.sock.fileno(): p for p in ports}
    poller = select.poll()
    for p in ports:
        poller.register(p.sock.fileno(), select.POLLIN)
    macs = {}            # source MAC -> Port it was last seen on
    heap = []            # (release time, seq, frame, [out ports])
    queued = 0           # bytes in heap
    seq = 0
    buf = bytearray(BUFFER)
    view = memoryview(buf)
    monotonic = time.monotonic

    while True:
        now = monotonic()
        while heap and heap[0][0] <= now:
            _, _, frame, outs = heapq.heappop(heap)
            queued -= len(frame)
            for out in outs:
                try:
                    out.sock.send(frame)
                    stats["forwarded"] += 1
                    stats["forwarded_bytes"] += len(frame) - VNET_HDR_LEN
                except OSError as e:
                    if e.errno in (errno.ENETDOWN, errno.ENXIO, errno.ENODEV):
                        stats["dropped_port_down"] += 1
                    else:
                        stats["dropped_send"] += 1
            now = monotonic()
        if heap:
            wait = heap[0][0] - now
            # poll counts whole milliseconds: wait the whole ones there, sleep the rest precisely
            timeout = int(wait * 1000)
        else:
            wait, timeout = 0.0, -1
        ready = poller.poll(timeout)
        if not ready and heap:
            wait = heap[0][0] - monotonic()
            if wait > 0:
                time.sleep(wait)
            continue
        for fd, events in ready:
            port = by_fd[fd]
            for _ in range(BATCH):
                try:
                    n, address = port.sock.recvfrom_into(buf)
                except (BlockingIOError, InterruptedError):
                    break
                except OSError as e:
                    if e.errno == errno.ENETDOWN:  # the port went down (a cut): the kernel says so once
                        continue
                    raise
                if address[2] == PACKET_OUTGOING or n < VNET_HDR_LEN + ETH_HLEN:
                    continue
                stats["received"] += 1
                arrival = monotonic()
                dst = bytes(view[VNET_HDR_LEN:VNET_HDR_LEN + 6])
                src = bytes(view[VNET_HDR_LEN + 6:VNET_HDR_LEN + 12])
                if not src[0] & 1:
                    macs[src] = port
                if dst[0] & 1:
                    outs = [p for p in ports if p is not port]
                else:
                    known = macs.get(dst)
                    if known is port:
                        stats["filtered"] += 1
                        continue
                    outs = [known] if known is not None else [p for p in ports if p is not port]
                if queued + n > args.queue_bytes:
                    stats["dropped_queue"] += len(outs)
                    continue
                release = arrival + delay
                if jitter:
                    release = max(arrival, release + rng.uniform(-jitter, jitter))
                    if not reorder:
                        release = max(release, port.last_release)
                port.last_release = release
                seq += 1
                heapq.heappush(heap, (release, seq, bytes(view[:n]), outs))
                queued += n


if __name__ == "__main__":
    sys.exit(main())
