package dev.agentledger.node.worker.core;

/**
 * Where certified batches go: the primary (consensus) references their digests in its DAG vertices.
 * Called on the worker's thread, once per certificate per validator, after the certificate and its
 * batch are durable; implementations hand off and return quickly.
 */
@FunctionalInterface
public interface BatchCertificateSink {
  void onBatchCertified(BatchCertificate certificate);
}
