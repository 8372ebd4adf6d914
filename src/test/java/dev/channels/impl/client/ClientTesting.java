package dev.channels.impl.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.impl.OutboundDeliveryContext;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Helpers of the client tests: a real host, a caller context of its own, outbound messages seen. */
final class ClientTesting {

  private ClientTesting() {
  }

  /** Deploys a host with that config (on its own context); completes once it serves. */
  static Future<String> deployHost(Vertx vertx, JsonObject config) {
    return vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config));
  }

  /**
   * Runs {@code body} on a fresh context (not the host's); the test passes when its future
   * succeeds, and fails with the failure otherwise (a failed assertion in a {@code map} included).
   */
  static void onNewContext(Vertx vertx, VertxTestContext test, Supplier<Future<?>> body) {
    ((VertxInternal) vertx).createEventLoopContext().runOnContext(v -> {
      Future<?> outcome;
      try {
        outcome = body.get();
      } catch (Throwable failure) {
        outcome = Future.failedFuture(failure);
      }
      outcome.onComplete(test.succeedingThenComplete());
    });
  }

  /** Succeeds with the failure if {@code future} fails with a {@code type}; fails otherwise. */
  static <E extends Throwable> Future<E> failsWith(Future<?> future, Class<E> type) {
    return future.transform(outcome -> {
      assertThat(outcome.succeeded()).as("expected a %s, but it succeeded with %s", type.getSimpleName(),
          outcome.succeeded() ? outcome.result() : null).isFalse();
      assertThat(outcome.cause()).isInstanceOf(type);
      return Future.succeededFuture(type.cast(outcome.cause()));
    });
  }

  /**
   * One message as the event bus sent it.
   *
   * @param headers a copy of its headers
   * @param sendTimeoutMs how long its sender waits for a reply ({@code -1} for a plain reply)
   */
  record Sent(String address, MultiMap headers, long sendTimeoutMs, Object body) {

    /** Its {@code action} header; {@code null} for replies, such as acknowledgements. */
    String action() {
      return headers.get("action");
    }

    /** Its {@code timeout} header, or {@code null}. */
    String timeout() {
      return headers.get("timeout");
    }

    boolean isRequest() {
      return action() != null;
    }

    /** A reply without body or action: how a taker acknowledges a delivery (so does the host answer a put). */
    boolean isPlainAcknowledgement() {
      return action() == null && body == null;
    }
  }

  /** Records every message sent on the event bus of {@code vertx} from now on. */
  static List<Sent> recordOutbound(Vertx vertx) {
    List<Sent> sent = new CopyOnWriteArrayList<>();
    vertx.eventBus().addOutboundInterceptor((DeliveryContext<Object> delivery) -> {
      long sendTimeout = delivery instanceof OutboundDeliveryContext<?> outbound && outbound.options != null
          ? outbound.options.getSendTimeout() : -1;
      sent.add(new Sent(delivery.message().address(),
          MultiMap.caseInsensitiveMultiMap().addAll(delivery.message().headers()), sendTimeout, delivery.body()));
      delivery.next();
    });
    return sent;
  }
}
