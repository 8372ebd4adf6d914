package dev.channels;

/**
 * When a remote consumer acknowledges an item it was handed (see docs/protocol.md, "Acknowledged
 * takes"). Until it is acknowledged the item is in flight: if the consumer goes away, it returns
 * to the channel for another consumer.
 */
public enum AckMode {
  /** As soon as the item has been handed to the application: at most once processing. */
  ON_DELIVERY,
  /**
   * Once the application has processed it: an item whose consumer goes away while processing it
   * is delivered again (at least once processing). Used by streams; a single take acknowledges on
   * delivery.
   */
  AFTER_PROCESSING
}
