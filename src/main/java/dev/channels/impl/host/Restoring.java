package dev.channels.impl.host;

import dev.channels.impl.core.DeadLetter;
import dev.channels.impl.core.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The state of a replicated channel being taken over after its owner's death, as its replica gives
 * it back: its items in the order they were put, then its flags and counts and its idempotency
 * keys. Everything is restored before the channel is served; what must go on once it is (dead
 * letters on their way, an end its old owner did not publish) goes on then.
 */
public final class Restoring {

  private final HostedChannel channel;
  private final List<Delivery<HostedItem>> deadLetters = new ArrayList<>();
  private boolean endUnpublished;
  /** The node of the owner it is taken over from: the producers attached from there are detached. */
  private String departed;

  Restoring(HostedChannel channel) {
    this.channel = channel;
  }

  /**
   * An item, in put order: {@code deliveries == 0} if it was never handed out; else it returns as
   * delivered before ({@code order}: its first delivery's), in flight or held back as it may have
   * been.
   */
  public void item(HostedItem item, int deliveries, long order) {
    channel.state().restore(item, deliveries, order);
  }

  /** An item that was on its way to the dead-letter channel: it goes there once the channel is served. */
  public void deadLetter(HostedItem item, int deliveries, long order, DeadLetter reason, String error) {
    deadLetters.add(channel.state().restoreDeadLetter(item, deliveries, order, reason, error));
  }

  /** An idempotency key the channel remembered, in the order remembered. */
  public void key(String key, int enqueued, long order) {
    channel.idempotence().keys().restore(key, enqueued, order);
  }

  /** What the channel knew of the numbered puts of a producer ({@code slot}: where its replica keeps it). */
  public void producer(int slot, String producer, long[] ranges, long[] partial) {
    channel.idempotence().sequences().restore(slot, producer, ranges, partial);
  }

  /** Its attached producers: each lease's id and the node it was granted to ({@code ""}: none). */
  public void leases(Map<String, String> nodesByLease) {
    List<Producers.Lease> leases = new ArrayList<>();
    nodesByLease.forEach((id, node) -> leases.add(new Producers.Lease(id, node.isEmpty() ? null : node, 0)));
    channel.producers().restore(leases);
  }

  /** It is taken over from the owner on {@code node}, which left: the producers attached from there are detached too. */
  public void departedFrom(String node) {
    this.departed = node;
  }

  /** Its flags and counts, after its items; {@code joinPublished}: its end was published already. */
  public void flags(boolean closed, long put, long taken, long redelivered, long deadLettered, boolean joinPublished) {
    channel.state().restore(closed, put, taken, redelivered, deadLettered);
    endUnpublished = channel.state().isFinished() && !joinPublished;
  }

  /** The channel is served: what was under way goes on. */
  void resume() {
    channel.inTurn(() -> {
      if (departed != null) {
        channel.producers().nodeLeft(departed);
      }
      deadLetters.forEach(channel.state()::resendDeadLetter);
      if (endUnpublished) {
        channel.publishJoined();
      }
    });
  }
}
