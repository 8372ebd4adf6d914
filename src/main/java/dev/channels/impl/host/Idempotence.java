package dev.channels.impl.host;

import dev.channels.impl.core.IdempotencyKeys;
import dev.channels.impl.core.ProducerSequences;
import dev.channels.impl.protocol.ChannelRequest;
import dev.channels.impl.protocol.Sequence;
import io.vertx.core.eventbus.Message;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What one hosted channel remembers of the puts it enqueued, to enqueue none twice: the
 * idempotency keys producers chose ({@code key}, every channel), and the numbers remote clients give
 * their puts ({@code sequence}, replicated channels only: only a failover makes a client send a put
 * again that may have been enqueued). See docs/protocol.md, "Idempotent puts".
 */
final class Idempotence {

  private final IdempotencyKeys keys;
  /** {@code null} unless the channel is replicated. */
  private final ProducerSequences sequences;
  /**
   * The numbered puts and put-alls waiting here for room, each with how to make it answer a repeat
   * of it instead (the client sent it again, not knowing it reached this owner, when the channel
   * moved here): the repeat takes its place, and the first is never answered (its sender no longer
   * listens).
   */
  private final Map<Sequence, Consumer<Message<Object>>> waiting = new HashMap<>();

  <L extends IdempotencyKeys.Listener & ProducerSequences.Listener> Idempotence(L replica) {
    this.keys = new IdempotencyKeys(IdempotencyKeys.DEFAULT_WINDOW, replica);
    this.sequences = new ProducerSequences(replica);
  }

  Idempotence() {
    this.keys = new IdempotencyKeys(IdempotencyKeys.DEFAULT_WINDOW, IdempotencyKeys.FORGETFUL);
    this.sequences = null;
  }

  /**
   * If {@code request} repeats a numbered put still waiting here, makes that one answer {@code
   * message} instead, and says so; else {@code false}.
   */
  boolean redirected(ChannelRequest request, Message<Object> message) {
    Consumer<Message<Object>> redirect = sequences == null || request.sequence() == null ? null
        : waiting.get(request.sequence());
    if (redirect == null) {
      return false;
    }
    redirect.accept(message);
    return true;
  }

  /**
   * How many of its items the put-all {@code request} repeats enqueued at the channel's former owner
   * before it died, the put-all waiting for room: they are not enqueued again. 0 if none.
   */
  int enqueuedBefore(ChannelRequest request) {
    Sequence sequence = request.sequence();
    return sequences == null || sequence == null ? 0 : sequences.enqueuedSoFar(sequence.producer(), sequence.n());
  }

  /** How many items the put or put-all that {@code request} repeats enqueued, or {@code -1} if it repeats none. */
  int repeated(ChannelRequest request) {
    if (request.key() != null) {
      return keys.enqueuedBy(request.key());
    }
    Sequence sequence = request.sequence();
    if (sequences != null && sequence != null && sequences.contains(sequence.producer(), sequence.n())) {
      return request.item() instanceof List<?> items ? items.size() : 1;
    }
    return -1;
  }

  /** Whether the put that {@code request} repeats is still waiting for room (its key is taken). */
  boolean isWaiting(ChannelRequest request) {
    return request.key() != null && keys.isWaiting(request.key());
  }

  /**
   * The put waits for room, with {@code enqueued} items in so far (a put-all's): its key is taken
   * until it is done, a repeat of it answers for it ({@code redirect}), and a replicated channel
   * remembers how far it got.
   */
  void waits(ChannelRequest request, int enqueued, Consumer<Message<Object>> redirect) {
    if (request.key() != null) {
      keys.waiting(request.key());
    }
    Sequence sequence = request.sequence();
    if (sequences != null && sequence != null) {
      waiting.put(sequence, redirect);
      if (enqueued > 0) {
        sequences.progress(sequence.producer(), sequence.n(), enqueued);
      }
    }
  }

  /**
   * The put is done, having enqueued {@code enqueued} items: all of them if {@code complete}, else
   * it stopped early (a put-all) or failed. A sequence is remembered only for a complete put: a
   * put-all sent again after stopping early would otherwise be taken for done.
   */
  void done(ChannelRequest request, int enqueued, boolean complete) {
    if (request.key() != null) {
      keys.done(request.key(), enqueued);
    }
    Sequence sequence = request.sequence();
    if (sequences != null && sequence != null) {
      waiting.remove(sequence);
      if (complete) {
        sequences.add(sequence.producer(), sequence.n());
      } else {
        sequences.stopped(sequence.producer(), sequence.n());
      }
    }
  }

  IdempotencyKeys keys() {
    return keys;
  }

  ProducerSequences sequences() {
    return sequences;
  }

}
