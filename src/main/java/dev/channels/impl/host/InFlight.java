package dev.channels.impl.host;

import dev.channels.impl.core.ChannelState;
import dev.channels.impl.core.Delivery;
import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.Settlement;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What becomes of the items one hosted channel hands out to acknowledging takers and consumers:
 * the ack deadlines of the deliveries whose answers are awaited, how each answer settles their items
 * (ack, nack with back-off, nack with a delay, release, reject), the redeliveries held back by a
 * delay, and the dead letters on their way to the dead-letter channel (docs/protocol.md, "Settling
 * a delivery" and "Dead letters").
 *
 * <p>Confined to the host's context; it changes the channel's state only within a turn of the
 * channel ({@link HostedChannel#inTurn}).
 */
final class InFlight {

  private static final System.Logger LOG = System.getLogger(InFlight.class.getName());
  /** The first and the longest wait before a refused dead letter is offered to its channel again. */
  private static final long FIRST_RETRY_MS = 1_000;
  private static final long LONGEST_RETRY_MS = 30_000;

  private final HostedChannel channel;
  private final AckDeadlines deadlines;
  /** Nacked items held back by a delay, and their timers. */
  private final Map<Delivery<HostedItem>, Long> delayed = new IdentityHashMap<>();
  /** Dead letters their channel refused (it is closed), offered again until it takes them. */
  private final ArrayDeque<Delivery<HostedItem>> refused = new ArrayDeque<>();
  private long retryTimer = -1;
  private long retryMs = FIRST_RETRY_MS;

  InFlight(HostedChannel channel, Vertx vertx, long ackTimeoutMs) {
    this.channel = channel;
    this.deadlines = new AckDeadlines(vertx, ackTimeoutMs);
  }

  /** Awaits the answer to {@code handout} until the ack deadline; {@code onExpiry} runs if it does not come. */
  void await(Handout handout, Runnable onExpiry) {
    deadlines.await(handout.onExpiry(() -> channel.inTurn(onExpiry)));
  }

  /** The answer to {@code handout} came: {@code true} if in time, {@code false} if late (it expired). */
  boolean answered(Handout handout) {
    return deadlines.answered(handout);
  }

  /** How many deliveries await their answers. */
  int awaited() {
    return deadlines.size();
  }

  /** Settles {@code deliveries}, item by item, as an answer in time says. */
  void settle(List<Delivery<HostedItem>> deliveries, Settlement settlement) {
    ChannelState<HostedItem> state = channel.state();
    for (int i = 0; i < deliveries.size(); i++) {
      Delivery<HostedItem> delivery = deliveries.get(i);
      switch (settlement.kind(i)) {
        case ACK -> state.acknowledge(delivery);
        case NACK -> nack(delivery, 0);
        case DELAY -> nack(delivery, settlement.delayMs(i));
        case RELEASE -> state.release(delivery);
        case REJECT -> state.reject(delivery, settlement.reason(i), settlement.error(i));
      }
    }
  }

  /** Gives every delivery back as failed (its taker failed it, or answered nonsense). */
  void nackAll(List<Delivery<HostedItem>> deliveries) {
    deliveries.forEach(delivery -> nack(delivery, 0));
  }

  /** Gives every delivery back as never answered (its taker is gone). */
  void expireAll(List<Delivery<HostedItem>> deliveries) {
    deliveries.forEach(channel.state()::expire);
  }

  /** The dead-letter sink of the channel's state: sends the item on once the turn has answered. */
  void deadLetter(Delivery<HostedItem> delivery) {
    channel.tell(() -> offerDeadLetter(delivery));
  }

  /** Cluster node {@code node} left: what its takers were handed goes back, counted, as if never answered. */
  void nodeLeft(String node) {
    for (Awaited gone : deadlines.removeIf(awaited -> ((Handout) awaited).isFor(node))) {
      expireAll(((Handout) gone).inFlight());
    }
  }

  /** Completes once no delivery awaits its answer (a stopping host waits for that, up to a point). */
  Future<Void> drained() {
    return deadlines.drained();
  }

  /**
   * The host stops serving the channel: every item still out (awaiting its answer, or held back by
   * a delay) goes back to the channel, its delivery counted, to be delivered again once it is served
   * again. Refused dead letters stay, to be offered again by the next host.
   */
  void abandonAll() {
    for (Awaited awaited : deadlines.clear()) {
      ((Handout) awaited).inFlight().forEach(channel.state()::abandon);
    }
    delayed.forEach((delivery, timer) -> {
      channel.vertx().cancelTimer(timer);
      channel.state().abandon(delivery);
    });
    delayed.clear();
    cancelRetry();
  }

  /** The channel was deleted: its state forgot these items; forget their timers. */
  void forget() {
    deadlines.clear();
    delayed.values().forEach(channel.vertx()::cancelTimer);
    delayed.clear();
    refused.clear();
    cancelRetry();
  }

  /** A new host serves the channel: offers the dead letters the last one could not send. */
  void resume() {
    retryMs = FIRST_RETRY_MS;
    if (!refused.isEmpty()) {
      retryRefused();
    }
  }

  /**
   * A nack: the item goes back at once, or after the back-off and the delay its consumer asked for
   * ({@link HostConfig#nackDelayMs}); past {@code maxDeliveries} it is dead-lettered instead.
   */
  private void nack(Delivery<HostedItem> delivery, long askedMs) {
    long delayMs = channel.config().nackDelayMs(delivery.deliveries(), askedMs);
    if (channel.state().nack(delivery, delayMs) == ChannelState.Returned.DELAYED) {
      long timer = channel.vertx().setTimer(delayMs, id -> channel.inTurn(() -> {
        delayed.remove(delivery);
        channel.state().redeliver(delivery);
      }));
      delayed.put(delivery, timer);
    }
  }

  private void offerDeadLetter(Delivery<HostedItem> delivery) {
    HostedChannel deadLetters = channel.directory().deadLetter(channel.settings().deadLetter(), deadLetterItem(delivery),
        channel.settings().replicated());
    if (deadLetters != null) {
      // replicated: the item leaves this channel's replica only once it is in its dead-letter channel's
      deadLetters.answer(() -> channel.inTurn(() -> channel.state().deadLettered(delivery)));
      return;
    }
    if (refused.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "{0}: its dead-letter channel ''{1}'' is closed; its dead letters wait"
          + " (and the channel cannot finish) until that channel takes them", channel.where(), channel.settings().deadLetter());
    }
    refused.add(delivery);
    if (retryTimer < 0) {
      retryTimer = channel.vertx().setTimer(retryMs, id -> channel.inTurn(this::retryRefused));
      retryMs = Math.min(LONGEST_RETRY_MS, retryMs * 2);
    }
  }

  private void retryRefused() {
    retryTimer = -1;
    int count = refused.size();
    for (int i = 0; i < count; i++) {
      offerDeadLetter(refused.poll());
    }
    if (refused.isEmpty()) {
      retryMs = FIRST_RETRY_MS;
    }
  }

  private void cancelRetry() {
    if (retryTimer >= 0) {
      channel.vertx().cancelTimer(retryTimer);
      retryTimer = -1;
    }
  }

  /**
   * The item as its dead-letter channel gets it: its body and headers, plus why it came, how many
   * times it was delivered, from which channel, and what its consumer said (these replace any of the
   * item's own headers of the same names).
   */
  private HostedItem deadLetterItem(Delivery<HostedItem> delivery) {
    HostedItem item = delivery.item();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (item.headers() != null) {
      headers.addAll(item.headers());
    }
    headers.set(Protocol.REASON, Settlement.reasonName(delivery.deadLetterReason()));
    headers.set(Protocol.SOURCE_DELIVERIES, Integer.toString(delivery.deliveries()));
    headers.set(Protocol.SOURCE, channel.state().name());
    if (delivery.error() != null) {
      headers.set(Protocol.ERROR, delivery.error());
    } else {
      headers.remove(Protocol.ERROR);
    }
    return new HostedItem(item.body(), headers);
  }
}
