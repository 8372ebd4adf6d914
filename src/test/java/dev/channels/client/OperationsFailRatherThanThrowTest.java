package dev.channels.client;

import static dev.channels.client.ClientTesting.failsWith;
import static dev.channels.client.ClientTesting.onNewContext;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelClientOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every client operation that returns a future reports a failure through it, never by throwing:
 * an item the channel cannot carry is refused before anything is sent, with a message naming the
 * channel, the item and its type.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class OperationsFailRatherThanThrowTest {

  /** The future {@code operation} returned; a test failure saying so if it threw instead. */
  private static <R> Future<R> returned(String operation, Supplier<Future<R>> call) {
    try {
      return call.get();
    } catch (RuntimeException thrown) {
      throw new AssertionError(operation + " threw " + thrown + " rather than failing its future", thrown);
    }
  }

  @Test
  void anExceptionOfTheEventBusWhileSendingFailsTheRequest(Vertx vertx, VertxTestContext test) {
    vertx.eventBus().consumer("channels.jobs", request -> request.reply(null));
    onNewContext(vertx, test, () -> {
      Sender sender = new Sender((VertxInternal) vertx, new ChannelClientOptions());
      // no codec for the body at all; a JSON array that cannot be copied for a local delivery
      Sender.Request noCodec = new Sender.Request("channels.jobs", "channel 'jobs'", "put", new Object(),
          Wait.never(), Map.of(), false);
      Sender.Request notJson = new Sender.Request("channels.jobs", "channel 'jobs'", "put-all",
          new JsonArray().add(UUID.randomUUID()), Wait.never(), Map.of(), false);
      Future<?> noCodecSent = returned("a send without a codec", () -> sender.send(noCodec));
      Future<?> notJsonSent = returned("a send of a JSON array that is not JSON", () -> sender.send(notJson));
      return failsWith(noCodecSent, IllegalArgumentException.class)
          .map(failure -> assertThat(failure.getMessage()).contains("channel 'jobs'", "put", "java.lang.Object"))
          .compose(v -> failsWith(notJsonSent, RuntimeException.class))
          .map(failure -> assertThat(failure.getMessage()).contains("channel 'jobs'", "put-all", "java.util.UUID"));
    });
  }
}
