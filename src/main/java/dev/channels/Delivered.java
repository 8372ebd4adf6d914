package dev.channels;

import io.vertx.core.MultiMap;
import java.util.Objects;

/**
 * An item as a consumer received it: the item, how many times it has been handed out (this time
 * included), and the headers it travelled with. A remote channel hands an item out again when a
 * consumer failed it, gave it back or went away before acknowledging it (at least once delivery);
 * {@link #redelivered()} says so, and lets an at-least-once consumer recognise work it may already
 * have done. A dead-letter channel's items carry why they were dead-lettered in their headers
 * ({@code reason}, {@code source}, {@code source-deliveries}, {@code error}: see docs/protocol.md).
 *
 * @param item the item
 * @param deliveries how many times it has been handed out, this time included (1 in process)
 * @param headers the headers it travelled with (empty if none)
 * @param <T> the item type
 */
public record Delivered<T>(T item, int deliveries, MultiMap headers) {

  public Delivered {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(headers, "headers");
    if (deliveries < 1) {
      throw new IllegalArgumentException("deliveries must be at least 1, not " + deliveries);
    }
  }

  /** An item handed out for the first time, without headers. */
  public static <T> Delivered<T> first(T item) {
    return new Delivered<>(item, 1, MultiMap.caseInsensitiveMultiMap());
  }

  /** Whether the item had been handed out before. */
  public boolean redelivered() {
    return deliveries > 1;
  }
}
