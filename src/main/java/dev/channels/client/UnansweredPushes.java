package dev.channels.client;

import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The pushes a {@link ConsumerStream} has received and not yet answered, and how far each is
 * settled (docs/protocol.md, "Streaming consumers"). A push is answered at most once, with {@code
 * {"credit": n, "nack": [i, ...]}}: when its last item is settled, or earlier when the stream
 * runs out of demand midway through it (see {@link Push#answer}). The answer acknowledges every
 * item not nacked, and grants the credit of every item, nacked ones included (returned items do not
 * give theirs back), so the host's credit stays at {@code prefetch} minus what the stream holds.
 *
 * <p>A push stays here until it is answered, because the host may expire the consumer and take back
 * every unanswered push at once; an expired push is never answered, since its items are no longer
 * ours to acknowledge. A push never answered (the stream stopped) the host takes back when the
 * consumer is cancelled.
 *
 * <p>Confined to the stream's context, like the stream.
 */
final class UnansweredPushes {

  private final List<Push> unanswered = new ArrayList<>();
  private final BooleanSupplier streamEnded;

  /**
   * @param streamEnded whether the stream has ended: its answers then grant no credit, so the host
   *     pushes nothing more to it
   */
  UnansweredPushes(BooleanSupplier streamEnded) {
    this.streamEnded = streamEnded;
  }

  /** Records a push of {@code size} items; the host awaits its answer from now on. */
  Push received(Message<Object> message, int size) {
    Push push = new Push(message, size);
    unanswered.add(push);
    return push;
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
    /** Its items settled so far (per the ack mode: delivered, or processed), nacked ones included. */
    private int settled;
    private List<Integer> nacked;
    private boolean expired;

    private Push(Message<Object> message, int size) {
      this.message = message;
      this.size = size;
    }

    /** Whether the host took this push back: its items must not be handed out any more. */
    boolean expired() {
      return expired;
    }

    /** Whether any of its items is settled. */
    boolean anySettled() {
      return settled > 0;
    }

    /**
     * Settles the item at {@code index}: acknowledged if {@code processed}, otherwise given back.
     * The last item settled answers the push.
     */
    void settled(int index, boolean processed) {
      if (!processed) {
        nack(index);
      }
      if (++settled == size) {
        answer();
      }
    }

    /** Gives the item at {@code index} back when the push is answered. */
    void nack(int index) {
      if (nacked == null) {
        nacked = new ArrayList<>();
      }
      nacked.add(index);
    }

    /**
     * Acknowledges every item but the nacked ones, and grants the push's credit again unless the
     * stream ended. Answering before every item is settled acknowledges the unsettled ones too: nack them
     * first to give them back.
     */
    void answer() {
      if (expired || !unanswered.remove(this)) {
        return; // the host already took them back, or has its answer
      }
      JsonObject answer = new JsonObject().put("credit", streamEnded.getAsBoolean() ? 0 : size);
      if (nacked != null) {
        answer.put("nack", new JsonArray(new ArrayList<>(nacked)));
      }
      message.reply(answer);
    }
  }
}
