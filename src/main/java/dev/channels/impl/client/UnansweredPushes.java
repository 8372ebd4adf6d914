package dev.channels.impl.client;

import dev.channels.impl.core.DeadLetter;
import dev.channels.impl.protocol.Settlement;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The pushes a {@link ConsumerStream} has received and not yet answered, and how each of their
 * items is settled (docs/protocol.md, "Settling a delivery"). A push is answered once, when its
 * last item is settled: the answer acknowledges every item it does not name otherwise, and grants
 * the credit the stream wants then.
 *
 * <p>A push stays here until it is answered, because the host may expire the consumer and take back
 * every unanswered push at once; an expired push is never answered, since its items are no longer
 * ours to settle.
 *
 * <p>Confined to the stream's context, like the stream.
 */
final class UnansweredPushes {

  private final List<Push> unanswered = new ArrayList<>();
  private final LongSupplier creditToGrant;

  /** @param creditToGrant the credit to grant with an answer, counted as granted once called */
  UnansweredPushes(LongSupplier creditToGrant) {
    this.creditToGrant = creditToGrant;
  }

  /** Records a push of {@code size} items; the host awaits its answer from now on. */
  Push received(Message<Object> message, int size) {
    Push push = new Push(message, size);
    unanswered.add(push);
    return push;
  }

  /** Whether every push received has been answered (or expired). */
  boolean isEmpty() {
    return unanswered.isEmpty();
  }

  /**
   * The host took back every unanswered push (it expired the consumer): none of them will be
   * answered, however their items are settled later.
   */
  void expireAll() {
    unanswered.forEach(push -> push.expired = true);
    unanswered.clear();
  }

  /** One push from the host: answered once every one of its items is settled. */
  final class Push {

    private final Message<Object> message;
    private final int size;
    /** Which items are settled: each is settled once, the first time (a later settlement changes nothing). */
    private final BitSet settledItems;
    private int settled;
    /** How items are settled otherwise than acknowledged; {@code null} while none is. */
    private Settlement.Builder settlement;
    private boolean expired;

    private Push(Message<Object> message, int size) {
      this.message = message;
      this.size = size;
      this.settledItems = new BitSet(size);
    }

    /** Whether the host took this push back: its items must not be handed out any more. */
    boolean expired() {
      return expired;
    }

    void acknowledge(int index) {
      if (settle(index)) {
        answerIfAllSettled();
      }
    }

    /** The item failed: give it back now (the host's back-off applies). */
    void nack(int index) {
      if (settle(index)) {
        settlement().nack(index);
        answerIfAllSettled();
      }
    }

    /** The item failed: give it back no sooner than {@code ms}. */
    void delay(int index, long ms) {
      if (settle(index)) {
        settlement().delay(index, ms);
        answerIfAllSettled();
      }
    }

    /** The item never reached the application: give it back, not counted as a delivery. */
    void release(int index) {
      if (settle(index)) {
        settlement().release(index);
        answerIfAllSettled();
      }
    }

    /** Dead-letter the item. */
    void reject(int index, DeadLetter reason, String error) {
      if (settle(index)) {
        settlement().reject(index, reason, error);
        answerIfAllSettled();
      }
    }

    /** Marks the item settled; {@code false} if it already was. */
    private boolean settle(int index) {
      if (settledItems.get(index)) {
        return false;
      }
      settledItems.set(index);
      settled++;
      return true;
    }

    private Settlement.Builder settlement() {
      if (settlement == null) {
        settlement = new Settlement.Builder();
      }
      return settlement;
    }

    private void answerIfAllSettled() {
      if (settled == size) {
        answer();
      }
    }

    private void answer() {
      if (expired || !unanswered.remove(this)) {
        return; // the host already took its items back
      }
      message.reply((settlement == null ? new Settlement.Builder() : settlement).build(creditToGrant.getAsLong()));
    }
  }
}
