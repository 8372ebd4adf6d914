package dev.channels.impl.client;

import static dev.channels.impl.client.ClientTesting.deployHost;
import static dev.channels.impl.client.ClientTesting.failsWith;
import static dev.channels.impl.client.ClientTesting.onNewContext;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.impl.protocol.Action;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
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

  /** An application's item type, mapped to a JSON object on the wire. */
  record Job(int id) {
  }

  /** The future {@code operation} returned; a test failure saying so if it threw instead. */
  private static <R> Future<R> returned(String operation, Supplier<Future<R>> call) {
    try {
      return call.get();
    } catch (RuntimeException thrown) {
      throw new AssertionError(operation + " threw " + thrown + " rather than failing its future", thrown);
    }
  }

  private static Future<String> failureMessage(Future<?> operation) {
    return failsWith(operation, IllegalArgumentException.class).map(Throwable::getMessage);
  }

  @Test
  void anUntypedChannelRefusesAnItemOfAnotherTypeAndSendsNothing(Vertx vertx, VertxTestContext test) {
    // what reaches the channel's address: here a recorder, not a host (which would refuse such items too)
    List<String> received = new CopyOnWriteArrayList<>();
    vertx.eventBus().consumer("recorder.jobs", request -> {
      received.add(request.headers().get("action"));
      request.fail(400, "BAD_REQUEST: the recorder refuses everything");
    });
    UUID uuid = UUID.randomUUID();
    onNewContext(vertx, test, () -> {
      Channel<Object> raw = ChannelClient.create(vertx, new ChannelClientOptions().setAddress("recorder")).channel("jobs");
      Future<Integer> putAll = returned("putAll", () -> raw.putAll(List.of("fine", uuid, "also fine")));
      Future<Void> put = returned("put", () -> raw.put(uuid));
      Future<Void> putWithin = returned("put with a timeout", () -> raw.put(uuid, Duration.ofSeconds(1)));
      Future<Void> offer = returned("offer", () -> raw.offer(uuid));
      return failureMessage(putAll)
          .map(message -> assertThat(message).contains("channel 'jobs'", "item 1", "java.util.UUID"))
          .compose(v -> failureMessage(put))
          .map(message -> assertThat(message).contains("channel 'jobs'", "java.util.UUID"))
          .compose(v -> failureMessage(putWithin))
          .map(message -> assertThat(message).contains("channel 'jobs'", "java.util.UUID"))
          .compose(v -> failureMessage(offer))
          .map(message -> assertThat(message).contains("channel 'jobs'", "java.util.UUID"))
          .map(v -> assertThat(received).as("requests received").hasSize(0));
    });
  }

  @Test
  void aTypedChannelNamesTheChannelAndTheItemItCannotMap(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      Channel<Object> objects = client.channel("jobs", Object.class);
      return client.create("jobs", 10)
          .compose(v -> failureMessage(objects.put(new Object())))
          .map(message -> assertThat(message).contains("channel 'jobs'", "java.lang.Object"))
          .compose(v -> failureMessage(objects.putAll(List.of(new Job(1), new Object()))))
          .map(message -> assertThat(message).contains("channel 'jobs'", "item 1", "java.lang.Object"))
          .compose(v -> objects.status())
          .map(status -> assertThat(status.totalPut()).isZero());
    })));
  }

  @Test
  void invalidArgumentsFailTheFutureOfTheOperation(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      Channel<String> jobs = client.channel("jobs");
      List<Future<?>> invalid = List.of(
          returned("create with an invalid name", () -> client.create("a.b", 1)),
          returned("create with a null name", () -> client.create(null, 1)),
          returned("create with a negative capacity", () -> client.create("jobs", -5)),
          returned("delete with a null name", () -> client.delete(null)),
          returned("a batch take of 0", () -> jobs.take(0)),
          returned("a put with a null timeout", () -> jobs.put("a", null)),
          returned("a take with a negative timeout", () -> jobs.take(Duration.ofMillis(-1))));
      List<Future<?>> nulls = List.of(
          returned("a put of null", () -> jobs.put(null)),
          returned("a put-all of null", () -> jobs.putAll(null)),
          returned("a consume without a processor", () -> jobs.consume(null)),
          returned("a consumeDeliveries without a processor", () -> jobs.consumeDeliveries(null)));
      return Future.join(invalid.stream().map(operation -> failsWith(operation, IllegalArgumentException.class)).toList())
          .compose(v -> Future.join(nulls.stream().map(operation -> failsWith(operation, NullPointerException.class)).toList()));
    })));
  }

  @Test
  void anExceptionOfTheEventBusWhileSendingFailsTheRequest(Vertx vertx, VertxTestContext test) {
    vertx.eventBus().consumer("channels.jobs", request -> request.reply(null));
    onNewContext(vertx, test, () -> {
      Sender sender = new Sender((VertxInternal) vertx, new ChannelClientOptions());
      // no codec for the body at all; a JSON array that cannot be copied for a local delivery
      Sender.Request noCodec = new Sender.Request("channels.jobs", "channel 'jobs'", Action.PUT, new Object(),
          Wait.never(), false, 0, new KnownState("jobs"));
      Sender.Request notJson = new Sender.Request("channels.jobs", "channel 'jobs'", Action.PUT_ALL,
          new JsonArray().add(UUID.randomUUID()), Wait.never(), false, 0, new KnownState("jobs"));
      Future<?> noCodecSent = returned("a send without a codec", () -> sender.send(noCodec));
      Future<?> notJsonSent = returned("a send of a JSON array that is not JSON", () -> sender.send(notJson));
      return failsWith(noCodecSent, IllegalArgumentException.class)
          .map(failure -> assertThat(failure.getMessage()).contains("channel 'jobs'", "put", "java.lang.Object"))
          .compose(v -> failsWith(notJsonSent, RuntimeException.class))
          .map(failure -> assertThat(failure.getMessage()).contains("channel 'jobs'", "put-all", "java.util.UUID"));
    });
  }
}
