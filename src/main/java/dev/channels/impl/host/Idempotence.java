package dev.channels.impl.host;

import dev.channels.impl.core.IdempotencyKeys;
import dev.channels.impl.core.ProducerSequences;
import dev.channels.impl.protocol.ChannelRequest;
import dev.channels.impl.protocol.Sequence;
import java.util.List;

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

  <L extends IdempotencyKeys.Listener & ProducerSequences.Listener> Idempotence(L replica) {
    this.keys = new IdempotencyKeys(IdempotencyKeys.DEFAULT_WINDOW, replica);
    this.sequences = new ProducerSequences(replica);
  }

  Idempotence() {
    this.keys = new IdempotencyKeys(IdempotencyKeys.DEFAULT_WINDOW, IdempotencyKeys.FORGETFUL);
    this.sequences = null;
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

  /** The put waits for room: its key is taken until it is done. */
  void waits(ChannelRequest request) {
    if (request.key() != null) {
      keys.waiting(request.key());
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
    if (sequences != null && sequence != null && complete) {
      sequences.add(sequence.producer(), sequence.n());
    }
  }

  IdempotencyKeys keys() {
    return keys;
  }

  ProducerSequences sequences() {
    return sequences;
  }

}
