package dev.agentledger.node.cli;

/**
 * Input the command cannot accept (bad hex, wrong lengths, missing fields). The CLI prints its
 * message on one line of stderr and exits with status 2.
 */
public final class MalformedInputException extends RuntimeException {
  public MalformedInputException(String message) {
    super(message, null, false, false);
  }
}
