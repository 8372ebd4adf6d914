package dev.channels.impl.client;

import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Acknowledgement on delivery of an acknowledged take (docs/protocol.md, "Acknowledged takes"),
 * and the next request riding on it.
 *
 * <p>While a delivery's future completes, its callbacks run on this thread, synchronously, inside
 * {@link #complete}: the delivery is then this thread's <em>open ride</em>. The first request the
 * client sends meanwhile {@linkplain #claim settles} it: a take or poll on the same channel rides
 * (it is sent as the reply to the delivery, which the host takes as the acknowledgement followed
 * by that request); any other request is sent after a plain acknowledgement. If nothing was sent,
 * the delivery is acknowledged once its callbacks have returned. So every delivery is
 * acknowledged exactly once, and before any later request of the application: from the outside,
 * the item was acknowledged when it was delivered.
 */
final class Ride {

  private static final ThreadLocal<Ride> OPEN = new ThreadLocal<>();

  private final EventBus bus;
  private final String address;
  private final Message<?> delivery;
  private boolean settled;

  private Ride(EventBus bus, String address, Message<?> delivery) {
    this.bus = bus;
    this.address = address;
    this.delivery = delivery;
  }

  /**
   * Completes {@code result} with the value of {@code delivery}, a reply from the channel at
   * {@code address}; acknowledges the delivery if the host asked for it (a reply address), at the
   * latest once the callbacks have returned.
   */
  static <R> void complete(EventBus bus, String address, Message<?> delivery, R value, Promise<R> result) {
    if (delivery.replyAddress() == null) { // a plain take: nothing to acknowledge
      result.complete(value);
      return;
    }
    Ride previous = OPEN.get();
    Ride ride = new Ride(bus, address, delivery);
    OPEN.set(ride);
    try {
      result.complete(value);
    } finally {
      OPEN.set(previous);
      ride.acknowledge();
    }
  }

  /**
   * Answers a delivery with a settlement other than a plain acknowledgement (docs/protocol.md,
   * "Settling a delivery"), before its value, if any, is handed to the application: nothing can
   * ride on such an answer, so the caller's next request goes on its own.
   */
  static void settle(Message<?> delivery, JsonObject settlement) {
    if (delivery.replyAddress() != null) {
      delivery.reply(settlement);
    }
  }

  /**
   * Settles this thread's open ride, if any, before the client sends a request to {@code
   * address}: returns the delivery to reply to with the request if {@code mayRide} and the ride is
   * from that very channel; otherwise acknowledges it now and returns {@code null} (send the
   * request as usual).
   */
  static Message<?> claim(EventBus bus, String address, boolean mayRide) {
    Ride ride = OPEN.get();
    if (ride == null || ride.settled) {
      return null;
    }
    if (mayRide && ride.bus == bus && ride.address.equals(address)) {
      ride.settled = true;
      return ride.delivery;
    }
    ride.acknowledge();
    return null;
  }

  private void acknowledge() {
    if (!settled) {
      settled = true;
      delivery.reply(null);
    }
  }
}
