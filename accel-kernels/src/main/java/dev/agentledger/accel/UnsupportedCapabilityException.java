package dev.agentledger.accel;

/** A backend was asked for a capability it does not provide. */
public final class UnsupportedCapabilityException extends AccelException {
  public UnsupportedCapabilityException(String backend, Capability capability) {
    super("backend '" + backend + "' does not provide " + capability.shortName());
  }
}
