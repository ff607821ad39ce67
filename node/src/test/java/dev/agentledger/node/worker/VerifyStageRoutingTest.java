package dev.agentledger.node.worker;

import static dev.agentledger.node.worker.VerifyStageTest.await;
import static dev.agentledger.node.worker.VerifyStageTest.batch;
import static dev.agentledger.node.worker.VerifyStageTest.ring;
import static dev.agentledger.node.worker.VerifyStageTest.signed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.accel.AccelException;
import dev.agentledger.accel.Backend;
import dev.agentledger.accel.BackendStats;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.Ed25519Batch;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.accel.ProbeResult;
import dev.agentledger.node.accel.NodeAccelerators;
import dev.agentledger.node.config.SigBackend;
import dev.agentledger.node.ingress.IngressChecks;
import dev.agentledger.node.runtime.AgentHost;
import dev.agentledger.node.runtime.ThreadingMode;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.sig.Ed25519;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Peer batches in the verify stage go through the node's accel {@code Router}, as client batches
 * do: the stage is built with the verifiers {@code ValidatorNode} gives it ({@link
 * VerifyStage#routedVerifiers}, over {@link NodeAccelerators#verifiers()}), with a configured
 * device that serves every batch until calibrated. The device sees every peer record's signature,
 * an honest peer batch is forwarded and a forged one dropped; with a device that fails every
 * launch, the CPU answers instead and the verdicts are the same; and on PoCL (when present) the
 * OpenCL kernel serves the peer batches.
 */
class VerifyStageRoutingTest {

  /** A device that verifies on the host, one signature at a time, and records what it saw. */
  static final class StubDevice implements Backend {
    final boolean failing;
    final Set<String> seenSignatures = ConcurrentHashMap.newKeySet();

    StubDevice(boolean failing) {
      this.failing = failing;
    }

    @Override
    public String name() {
      return "opencl";
    }

    @Override
    public ProbeResult probe() {
      return ProbeResult.available("opencl", List.of());
    }

    @Override
    public boolean isHost() {
      return false;
    }

    @Override
    public Set<Capability> capabilities() {
      return EnumSet.of(Capability.ED25519_VERIFY_BATCH);
    }

    @Override
    public CompletableFuture<LaunchTiming> ed25519VerifyBatch(
        Ed25519Batch batch, ByteBuffer verdicts) {
      if (failing) {
        return CompletableFuture.failedFuture(
            new AccelException("kernel launch failed", "CL_OUT_OF_RESOURCES (-5)", null));
      }
      int n = batch.count();
      for (int i = 0; i < n; i++) {
        byte[] signature = batch.signature(i);
        seenSignatures.add(HexFormat.of().formatHex(signature));
        boolean ok = Ed25519.verify(batch.publicKey(i), signature, batch.message(i));
        verdicts.put(i, ok ? (byte) 1 : (byte) 0);
      }
      return CompletableFuture.completedFuture(
          new LaunchTiming("opencl", "stub", n, 1, 0, n, 0, 1, 0, 1));
    }

    @Override
    public void close() {}
  }

  private static final int RECORDS = 40;

  @Test
  void peerBatchesAreVerifiedOnTheConfiguredDevice() throws Exception {
    StubDevice device = new StubDevice(false);
    try (NodeAccelerators accel =
        NodeAccelerators.open(SigBackend.OPENCL, name -> Optional.of(device))) {
      List<byte[]> honest = peerRecordsThroughTheStage(accel);
      for (byte[] record : honest) {
        assertThat(device.seenSignatures)
            .as("the device verified every record of the peer batch")
            .contains(HexFormat.of().formatHex(signature(record)));
      }
      BackendStats stats = accel.router().stats(Capability.ED25519_VERIFY_BATCH, "opencl");
      assertThat(stats.items()).isGreaterThanOrEqualTo(2L * RECORDS);
      assertThat(stats.errors()).isZero();
    }
  }

  @Test
  void aFailingDeviceLeavesPeerBatchesToTheCpuWithTheSameVerdicts() throws Exception {
    StubDevice device = new StubDevice(true);
    try (NodeAccelerators accel =
        NodeAccelerators.open(SigBackend.OPENCL, name -> Optional.of(device))) {
      peerRecordsThroughTheStage(accel);
      assertThat(accel.router().stats(Capability.ED25519_VERIFY_BATCH, "opencl").errors())
          .isPositive();
      assertThat(
              accel.router().stats(Capability.ED25519_VERIFY_BATCH, "cpu-ed25519").items()
                  + accel.router().stats(Capability.ED25519_VERIFY_BATCH, "opencl").fallbacks())
          .isPositive();
    }
  }

  @Test
  void onPoclTheOpenClKernelServesPeerBatches() throws Exception {
    NodeAccelerators accel;
    try {
      accel = NodeAccelerators.open(SigBackend.OPENCL);
    } catch (AccelException e) {
      Assumptions.abort("no OpenCL device: " + e.getMessage());
      return;
    }
    try (accel) {
      long before = accel.router().stats(Capability.ED25519_VERIFY_BATCH, "opencl").items();
      peerRecordsThroughTheStage(accel);
      BackendStats stats = accel.router().stats(Capability.ED25519_VERIFY_BATCH, "opencl");
      assertThat(stats.items() - before).isGreaterThanOrEqualTo(2L * RECORDS);
      assertThat(stats.errors()).isZero();
    }
  }

  /**
   * Offers a forged and then an honest batch of {@link #RECORDS} records from peer 1 to a one-agent
   * stage routed through {@code accel}; checks that only the honest one is forwarded and that one
   * bad batch was counted; returns the honest batch's records.
   */
  private static List<byte[]> peerRecordsThroughTheStage(NodeAccelerators accel) throws Exception {
    ManyToOneRingBuffer peerOut = ring(1 << 24);
    ManyToOneRingBuffer clientOut = ring(1 << 22);
    List<byte[]> forgedRecords = new ArrayList<>();
    List<byte[]> honestRecords = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      forgedRecords.add(signed(4, i, i == 23));
      honestRecords.add(signed(5, i, false));
    }
    UnsafeBuffer forged = batch(1, 0, forgedRecords);
    UnsafeBuffer honest = batch(1, 1, honestRecords);
    try (VerifyStage stage =
            new VerifyStage(
                0,
                1,
                VerifyStageTest.CHAIN,
                4,
                new IngressChecks(VerifyStageTest.INGRESS),
                VerifyStage.routedVerifiers(accel),
                1 << 22,
                peerOut,
                clientOut);
        AgentHost host =
            AgentHost.start(
                "verify-routing-test",
                stage.agents(),
                ThreadingMode.DEDICATED,
                Throwable::printStackTrace)) {
      assertThat(stage.offerPeer(1, forged, 0, forged.capacity())).isTrue();
      assertThat(stage.offerPeer(1, honest, 0, honest.capacity())).isTrue();
      List<VerifyStageTest.Out> out = await(peerOut, clientOut, 1);
      assertThat(out).hasSize(1);
      assertThat(out.get(0).type()).isEqualTo(VerifyStage.PEER_VERIFIED);
      byte[] expected = new byte[honest.capacity()];
      honest.getBytes(0, expected);
      byte[] frame = new byte[out.get(0).bytes().length - 4];
      new UnsafeBuffer(out.get(0).bytes()).getBytes(4, frame);
      assertThat(frame).as("only the honest batch is forwarded").isEqualTo(expected);
      assertThat(stage.badSignatureBatches()).isEqualTo(1);
    }
    return honestRecords;
  }

  private static byte[] signature(byte[] record) {
    byte[] s = new byte[64];
    System.arraycopy(record, AgentRunDescriptor.SIGNATURE_OFFSET, s, 0, 64);
    return s;
  }
}
