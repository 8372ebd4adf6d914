package dev.channels.impl.host;

import dev.channels.impl.core.DeadlineWaiter;
import dev.channels.impl.core.Delivery;
import dev.channels.impl.core.Outcome;
import dev.channels.impl.protocol.Failure;
import io.vertx.core.eventbus.Message;

/**
 * A request waiting in a channel, answered by reply or failure (its deadline's {@code 408}
 * included), after the answer to the request that served it ({@link HostedChannel#tell}).
 */
final class RequestWaiter<R> extends DeadlineWaiter<R> {

  /** How a served waiter answers its request. */
  interface Answer<R> {
    /** @param delivery what a take was handed, when it acknowledges or the item was returned */
    void send(Message<Object> request, R result, Delivery<HostedItem> delivery);
  }

  private final HostedChannel channel;
  /** The request it answers: another one if a repeat of it takes its place ({@link #answer}). */
  private Message<Object> request;
  private final boolean acknowledges;
  private final Answer<R> answer;
  /** The cluster node of the request's sender (its {@code node} header), or {@code null}. */
  private String node;
  /** Runs when it fails, before its failure is sent; or {@code null}. */
  private Runnable whenFailed;

  RequestWaiter(HostedChannel channel, Message<Object> request, boolean acknowledges, Answer<R> answer) {
    this.channel = channel;
    this.request = request;
    this.acknowledges = acknowledges;
    this.answer = answer;
  }

  /** Waits for a sender on cluster node {@code node}. */
  RequestWaiter<R> fromNode(String node) {
    this.node = node;
    return this;
  }

  /** Answers {@code repeat} instead of its own request (a repeat of the same put, sent again after a failover). */
  void answer(Message<Object> repeat) {
    this.request = repeat;
  }

  /** Runs {@code failed} when it fails (a waiting put's idempotency key is free again). */
  RequestWaiter<R> whenFailed(Runnable failed) {
    this.whenFailed = failed;
    return this;
  }

  /** Whether its sender is on cluster node {@code node}. */
  boolean isFrom(String node) {
    return node.equals(this.node);
  }

  @Override
  protected boolean acknowledges() {
    return acknowledges;
  }

  @Override
  protected void succeeded(R result) {
    Delivery<HostedItem> delivery = delivery();
    channel.tell(() -> answer.send(request, result, delivery));
  }

  @Override
  protected void failed(Outcome outcome, String detail) {
    if (whenFailed != null) {
      whenFailed.run();
    }
    channel.tell(() -> channel.answer(() -> Failure.of(outcome).fail(request, detail)));
  }
}
