package dev.channels.client;

/**
 * Names of the protocol additions (docs/protocol.md, "Additions") the client uses before they are
 * in {@link dev.channels.protocol}; to be replaced by the protocol package's own names.
 */
final class Wire {

  static final String ACK = "ack";
  static final String MAX = "max";
  static final String PUT_ALL = "put-all";
  /** The largest batch of {@code put-all} and of a take with {@code max}. */
  static final int MAX_BATCH = 10_000;

  private Wire() {
  }
}
