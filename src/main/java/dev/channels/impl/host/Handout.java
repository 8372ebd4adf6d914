package dev.channels.impl.host;

import dev.channels.impl.core.ChannelState;
import dev.channels.impl.core.Delivery;
import dev.channels.impl.protocol.Protocol;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * What one answer hands out: one item, or a batch of items as a JSON array. An item that carries
 * headers travels alone, its headers on the message. For an acknowledged answer it also holds the
 * in-flight deliveries that the taker's answer settles, and is {@link Awaited} until then.
 */
final class Handout extends Awaited {

  private final boolean batch;
  private final ArrayList<HostedItem> items = new ArrayList<>(1);
  private final StringBuilder deliveries = new StringBuilder();
  /** Empty and immutable when its taker does not acknowledge. */
  private final List<Delivery<HostedItem>> inFlight;
  private boolean counted;
  private boolean redelivered;
  /** The cluster node of its taker (a take's {@code node} header), or {@code null}. */
  private String node;
  /** What happens if its answer does not come before the ack deadline. */
  private Runnable onExpiry;

  /**
   * @param batch answer with a JSON array (a take with {@code max}, a push), else the item itself
   * @param acknowledged the taker acknowledges: keep the deliveries to settle them
   */
  Handout(boolean batch, boolean acknowledged) {
    this.batch = batch;
    this.inFlight = acknowledged ? new ArrayList<>(1) : List.of();
  }

  /** Hands it to a taker on cluster node {@code node} ({@code null}: not known, or not clustered). */
  Handout toNode(String node) {
    this.node = node;
    return this;
  }

  /** Whether its taker is on cluster node {@code node}. */
  boolean isFor(String node) {
    return node.equals(this.node);
  }

  /**
   * Adds an item handed out; {@code delivery} is {@code null} for a plain take of a fresh item (its
   * first and last delivery, which carries no delivery headers).
   */
  void add(HostedItem item, Delivery<HostedItem> delivery) {
    items.add(item);
    int count = delivery == null ? 1 : delivery.deliveries();
    // a plain take of a fresh item carries no delivery headers, exactly as in v1
    counted |= delivery != null && (delivery.isInFlight() || count > 1);
    redelivered |= count > 1;
    if (!deliveries.isEmpty()) {
      deliveries.append(',');
    }
    deliveries.append(count);
    if (delivery != null && delivery.isInFlight()) {
      inFlight.add(delivery);
    }
  }

  /**
   * Adds, after the first item, every item {@code state} can hand out now without waiting, up to
   * {@code max} in all; stops before an item with headers, and after a first one with headers.
   */
  void addAvailable(ChannelState<HostedItem> state, int max, boolean acknowledge) {
    if (items.get(0).headers() != null) {
      return;
    }
    int expected = (int) Math.min(max, (long) items.size() + state.size());
    items.ensureCapacity(expected);
    if (inFlight instanceof ArrayList<Delivery<HostedItem>> deliveries && acknowledge) {
      deliveries.ensureCapacity(expected);
    }
    while (items.size() < max) {
      HostedItem next = state.peek();
      if (next == null || next.headers() != null) {
        return;
      }
      add(next, state.pollDelivery(acknowledge));
    }
  }

  int size() {
    return items.size();
  }

  /** Sets what happens if its answer does not come before the ack deadline. */
  Handout onExpiry(Runnable expiry) {
    this.onExpiry = expiry;
    return this;
  }

  @Override
  void expire() {
    onExpiry.run();
  }

  List<Delivery<HostedItem>> inFlight() {
    return inFlight;
  }

  Object body() {
    if (!batch) {
      return items.get(0).body();
    }
    JsonArray array = new JsonArray(new ArrayList<>(items.size()));
    items.forEach(item -> array.add(item.body()));
    return array;
  }

  /**
   * The item's headers (a lone item), and the delivery headers, which replace any of the item's
   * own headers of the same names; {@code null} when there are none.
   */
  DeliveryOptions options() {
    HostedItem first = items.get(0);
    if (!counted && first.headers() == null) {
      return null;
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (first.headers() != null) {
      headers.addAll(first.headers());
    }
    if (counted) {
      headers.set(Protocol.DELIVERIES, deliveries.toString());
      if (redelivered) {
        headers.set(Protocol.REDELIVERED, Protocol.TRUE);
      } else {
        headers.remove(Protocol.REDELIVERED);
      }
    }
    return new DeliveryOptions().setHeaders(headers);
  }
}
