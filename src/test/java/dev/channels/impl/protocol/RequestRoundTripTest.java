package dev.channels.impl.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.Channel;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every action, written as the client writes it ({@link RequestHeaders}, the {@code ...Body}
 * methods), sent over the event bus, and read as the host reads it ({@link ChannelRequest#decode},
 * {@link RegistryRequest#decode}): the decoded request is the one the client meant, and what
 * travelled is what docs/protocol.md says, spelled out here as literals on purpose.
 */
class RequestRoundTripTest {

  private static final String ADDRESS = "round-trip";
  private static final String WHERE = "channel 'jobs'";

  private static Vertx vertx;
  private static MessageConsumer<Object> host;
  private static final BlockingQueue<Message<Object>> received = new LinkedBlockingQueue<>();

  private final RequestHeaders headers = new RequestHeaders();

  @BeforeAll
  static void startHost() throws Exception {
    vertx = Vertx.vertx();
    host = vertx.eventBus().consumer(ADDRESS, message -> {
      received.add(message);
      message.reply(null);
    });
    await(host.completion());
  }

  @AfterAll
  static void stopHost() throws Exception {
    await(vertx.close());
  }

  @BeforeEach
  void nothingReceived() {
    received.clear();
  }

  /** The switch has a case for every action: a new action does not compile without its round trip. */
  @ParameterizedTest
  @EnumSource(Action.class)
  void everyActionRoundTrips(Action action) throws Exception {
    RoundTrip roundTrip = switch (action) {
      case CREATE -> this::createCarriesNameCapacityAndSettings;
      case DELETE -> this::deleteCarriesTheName;
      case LIST -> this::listCarriesNoBodyOrTheNameOfOneChannel;
      case PUT -> this::putCarriesItsItemAndTimeout;
      case PUT_ALL -> this::putAllCarriesItsItemsInOrder;
      case OFFER -> this::offerCarriesItsItemAndNoTimeout;
      case TAKE -> this::takesAreAcknowledgedAndBatchTakesCarryMax;
      case POLL -> this::pollIsAnAcknowledgedTakeThatNeverWaits;
      case CLOSE -> () -> carriesNothingButItsAction(Action.CLOSE, "close");
      case JOIN -> this::joinCarriesItsTimeout;
      case STATUS -> () -> carriesNothingButItsAction(Action.STATUS, "status");
      case CONSUME -> this::consumeCarriesTheConsumerAddressAndCredit;
      case CREDIT -> this::creditCarriesTheConsumerAddressAndCredit;
      case CANCEL -> this::cancelCarriesTheConsumerAddress;
      case ATTACH -> this::attachCarriesNoBodyAndItsNode;
      case RENEW -> () -> carriesTheLease(Action.RENEW, "renew");
      case DETACH -> () -> carriesTheLease(Action.DETACH, "detach");
    };
    roundTrip.run();
  }

  @FunctionalInterface
  private interface RoundTrip {
    void run() throws Exception;
  }

  // registry

  private void createCarriesNameCapacityAndSettings() throws Exception {
    Message<Object> full = send(RegistryRequest.createBody("jobs", 100, 5, "jobs-failed"), RequestHeaders.options(Action.CREATE));
    assertThat(headersOf(full)).isEqualTo(Map.of("action", "create"));
    assertThat(full.body()).isEqualTo(new JsonObject(
        "{\"name\": \"jobs\", \"capacity\": 100, \"maxDeliveries\": 5, \"deadLetter\": \"jobs-failed\"}"));
    assertThat(RegistryRequest.decode(full))
        .isEqualTo(new RegistryRequest(Action.CREATE, "jobs", 100, 5, "jobs-failed", null));

    Message<Object> unbounded = send(RegistryRequest.createBody("jobs", Channel.UNBOUNDED, null, null),
        RequestHeaders.options(Action.CREATE));
    assertThat(unbounded.body()).isEqualTo(new JsonObject("{\"name\": \"jobs\", \"capacity\": null}"));
    assertThat(RegistryRequest.decode(unbounded))
        .isEqualTo(new RegistryRequest(Action.CREATE, "jobs", Channel.UNBOUNDED, null, null, null));

    Message<Object> rendezvous = send(RegistryRequest.createBody("jobs", 0, 0, null), RequestHeaders.options(Action.CREATE));
    assertThat(RegistryRequest.decode(rendezvous)).isEqualTo(new RegistryRequest(Action.CREATE, "jobs", 0, 0, null, null));

    Message<Object> replicated = send(RegistryRequest.createBody("jobs", 10, null, null, true, null),
        RequestHeaders.options(Action.CREATE));
    assertThat(replicated.body()).isEqualTo(new JsonObject("{\"name\": \"jobs\", \"capacity\": 10, \"replicated\": true}"));
    assertThat(RegistryRequest.decode(replicated))
        .isEqualTo(new RegistryRequest(Action.CREATE, "jobs", 10, null, null, null, true, null));

    Message<Object> closing = send(RegistryRequest.createBody("jobs", 10, null, null, null, true),
        RequestHeaders.options(Action.CREATE));
    assertThat(closing.body()).isEqualTo(new JsonObject("{\"name\": \"jobs\", \"capacity\": 10, \"closeWhenDetached\": true}"));
    assertThat(RegistryRequest.decode(closing))
        .isEqualTo(new RegistryRequest(Action.CREATE, "jobs", 10, null, null, null, null, true));
  }

  private void deleteCarriesTheName() throws Exception {
    Message<Object> delete = send(RegistryRequest.deleteBody("jobs"), RequestHeaders.options(Action.DELETE));
    assertThat(headersOf(delete)).isEqualTo(Map.of("action", "delete"));
    assertThat(delete.body()).isEqualTo(new JsonObject("{\"name\": \"jobs\"}"));
    assertThat(RegistryRequest.decode(delete))
        .isEqualTo(new RegistryRequest(Action.DELETE, "jobs", Channel.UNBOUNDED, null, null, null));
  }

  private void listCarriesNoBodyOrTheNameOfOneChannel() throws Exception {
    Message<Object> list = send(RegistryRequest.listBody(), RequestHeaders.options(Action.LIST));
    assertThat(headersOf(list)).isEqualTo(Map.of("action", "list"));
    assertThat(list.body()).isNull();
    assertThat(RegistryRequest.decode(list))
        .isEqualTo(new RegistryRequest(Action.LIST, null, Channel.UNBOUNDED, null, null, null));

    Message<Object> one = send(RegistryRequest.listBody("jobs"), RequestHeaders.options(Action.LIST));
    assertThat(one.body()).isEqualTo(new JsonObject("{\"name\": \"jobs\"}"));
    assertThat(RegistryRequest.decode(one))
        .isEqualTo(new RegistryRequest(Action.LIST, "jobs", Channel.UNBOUNDED, null, null, null));
  }

  // channel

  private void putCarriesItsItemAndTimeout() throws Exception {
    Message<Object> put = send("job-1", headers.options(Action.PUT, 1500));
    assertThat(headersOf(put)).isEqualTo(Map.of("action", "put", "timeout", "1500"));
    ChannelRequest request = ChannelRequest.decode(WHERE, put);
    assertThat(request.action()).isEqualTo(Action.PUT);
    assertThat(request.item()).isEqualTo("job-1");
    assertThat(request.itemHeaders()).isNull();
    assertThat(request.timeoutMs()).isEqualTo(1500);
    assertThat(request.key()).isNull();
    assertThat(request.sequence()).isNull();

    // idempotency keys: the producer's and the client's own, neither travelling with the item
    Message<Object> keyed = send("job-2", RequestHeaders.idempotent(headers.options(Action.PUT, 1500), "order-17",
        new Sequence("3f1c-9a", 41)));
    assertThat(headersOf(keyed)).isEqualTo(Map.of("action", "put", "timeout", "1500", "key", "order-17",
        "sequence", "3f1c-9a:41"));
    ChannelRequest decoded = ChannelRequest.decode(WHERE, keyed);
    assertThat(decoded.key()).isEqualTo("order-17");
    assertThat(decoded.sequence()).isEqualTo(new Sequence("3f1c-9a", 41));
    assertThat(decoded.itemHeaders()).as("the keys are not the item's headers").isNull();
  }

  private void putAllCarriesItsItemsInOrder() throws Exception {
    List<Object> items = List.of("a", 2, new JsonObject().put("n", 3));
    Message<Object> putAll = send(ChannelRequest.putAllBody(items), headers.options(Action.PUT_ALL, 20_000));
    assertThat(headersOf(putAll)).isEqualTo(Map.of("action", "put-all", "timeout", "20000"));
    assertThat(putAll.body()).isEqualTo(new JsonArray("[\"a\", 2, {\"n\": 3}]"));
    ChannelRequest request = ChannelRequest.decode(WHERE, putAll);
    assertThat(request.action()).isEqualTo(Action.PUT_ALL);
    assertThat(request.item()).as("the items, each as it was put").isEqualTo(items);
    assertThat(request.timeoutMs()).isEqualTo(20_000);
  }

  private void offerCarriesItsItemAndNoTimeout() throws Exception {
    Message<Object> offer = send(42L, headers.options(Action.OFFER, RequestHeaders.NO_TIMEOUT));
    assertThat(headersOf(offer)).isEqualTo(Map.of("action", "offer"));
    ChannelRequest request = ChannelRequest.decode(WHERE, offer);
    assertThat(request.action()).isEqualTo(Action.OFFER);
    assertThat(request.item()).isEqualTo(42L);
    assertThat(request.timeoutMs()).isEqualTo(-1);
  }

  private void takesAreAcknowledgedAndBatchTakesCarryMax() throws Exception {
    Message<Object> take = send(null, RequestHeaders.acknowledgedTake(headers.options(Action.TAKE, 0), 0));
    assertThat(headersOf(take)).isEqualTo(Map.of("action", "take", "timeout", "0", "ack", "true"));
    assertThat(ChannelRequest.decode(WHERE, take))
        .isEqualTo(new ChannelRequest(Action.TAKE, null, null, 0, true, 0, null, 0, null));

    Message<Object> batch = send(null, RequestHeaders.acknowledgedTake(headers.options(Action.TAKE, 700), Protocol.MAX_BATCH));
    assertThat(headersOf(batch)).isEqualTo(Map.of("action", "take", "timeout", "700", "ack", "true", "max", "10000"));
    assertThat(ChannelRequest.decode(WHERE, batch))
        .isEqualTo(new ChannelRequest(Action.TAKE, null, null, 700, true, Protocol.MAX_BATCH, null, 0, null));

    // from a clustered Vert.x, a take names its node: what it is handed goes back if that node leaves
    Message<Object> fromNode = send(null, RequestHeaders.fromNode(headers.options(Action.TAKE, 0), "node-1"));
    assertThat(headersOf(fromNode)).isEqualTo(Map.of("action", "take", "timeout", "0", "node", "node-1"));
    assertThat(ChannelRequest.decode(WHERE, fromNode))
        .isEqualTo(new ChannelRequest(Action.TAKE, null, null, 0, false, 0, null, 0, "node-1"));
  }

  private void pollIsAnAcknowledgedTakeThatNeverWaits() throws Exception {
    Message<Object> poll = send(null, RequestHeaders.acknowledgedTake(headers.options(Action.POLL, RequestHeaders.NO_TIMEOUT), 3));
    assertThat(headersOf(poll)).isEqualTo(Map.of("action", "poll", "ack", "true", "max", "3"));
    assertThat(ChannelRequest.decode(WHERE, poll))
        .isEqualTo(new ChannelRequest(Action.POLL, null, null, -1, true, 3, null, 0, null));
  }

  private void joinCarriesItsTimeout() throws Exception {
    Message<Object> join = send(null, headers.options(Action.JOIN, Protocol.MAX_TIMEOUT_MS));
    assertThat(headersOf(join)).isEqualTo(Map.of("action", "join", "timeout", "2147483647"));
    assertThat(ChannelRequest.decode(WHERE, join))
        .isEqualTo(new ChannelRequest(Action.JOIN, null, null, Protocol.MAX_TIMEOUT_MS, false, 0, null, 0, null));
  }

  private void carriesNothingButItsAction(Action action, String wireName) throws Exception {
    Message<Object> request = send(null, RequestHeaders.options(action));
    assertThat(headersOf(request)).isEqualTo(Map.of("action", wireName));
    assertThat(ChannelRequest.decode(WHERE, request))
        .isEqualTo(new ChannelRequest(action, null, null, -1, false, 0, null, 0, null));
  }

  private void consumeCarriesTheConsumerAddressAndCredit() throws Exception {
    Message<Object> consume = send(ChannelRequest.consumeBody("me", 0), RequestHeaders.options(Action.CONSUME));
    assertThat(headersOf(consume)).isEqualTo(Map.of("action", "consume"));
    assertThat(consume.body()).isEqualTo(new JsonObject("{\"address\": \"me\", \"credit\": 0}"));
    assertThat(ChannelRequest.decode(WHERE, consume))
        .isEqualTo(new ChannelRequest(Action.CONSUME, null, null, -1, false, 0, "me", 0, null));

    Message<Object> fromNode = send(ChannelRequest.consumeBody("me", 0),
        RequestHeaders.fromNode(RequestHeaders.options(Action.CONSUME), "node-1"));
    assertThat(ChannelRequest.decode(WHERE, fromNode))
        .isEqualTo(new ChannelRequest(Action.CONSUME, null, null, -1, false, 0, "me", 0, "node-1"));
  }

  private void creditCarriesTheConsumerAddressAndCredit() throws Exception {
    Message<Object> credit = send(ChannelRequest.creditBody("me", Integer.MAX_VALUE), RequestHeaders.options(Action.CREDIT));
    assertThat(headersOf(credit)).isEqualTo(Map.of("action", "credit"));
    assertThat(credit.body()).isEqualTo(new JsonObject("{\"address\": \"me\", \"credit\": 2147483647}"));
    assertThat(ChannelRequest.decode(WHERE, credit))
        .isEqualTo(new ChannelRequest(Action.CREDIT, null, null, -1, false, 0, "me", Integer.MAX_VALUE, null));
  }

  private void cancelCarriesTheConsumerAddress() throws Exception {
    Message<Object> cancel = send(ChannelRequest.cancelBody("me"), RequestHeaders.options(Action.CANCEL));
    assertThat(headersOf(cancel)).isEqualTo(Map.of("action", "cancel"));
    assertThat(cancel.body()).isEqualTo(new JsonObject("{\"address\": \"me\"}"));
    assertThat(ChannelRequest.decode(WHERE, cancel))
        .isEqualTo(new ChannelRequest(Action.CANCEL, null, null, -1, false, 0, "me", 0, null));
  }

  private void attachCarriesNoBodyAndItsNode() throws Exception {
    Message<Object> attach = send(null, RequestHeaders.options(Action.ATTACH));
    assertThat(headersOf(attach)).isEqualTo(Map.of("action", "attach"));
    assertThat(ChannelRequest.decode(WHERE, attach))
        .isEqualTo(new ChannelRequest(Action.ATTACH, null, null, -1, false, 0, null, 0, null));

    // from a clustered Vert.x, an attach names its node: its producer is detached if that node leaves
    Message<Object> fromNode = send(null, RequestHeaders.fromNode(RequestHeaders.options(Action.ATTACH), "node-1"));
    assertThat(headersOf(fromNode)).isEqualTo(Map.of("action", "attach", "node", "node-1"));
    assertThat(ChannelRequest.decode(WHERE, fromNode))
        .isEqualTo(new ChannelRequest(Action.ATTACH, null, null, -1, false, 0, null, 0, "node-1"));
  }

  private void carriesTheLease(Action action, String wireName) throws Exception {
    Message<Object> request = send(ChannelRequest.leaseBody("lease-1"), RequestHeaders.options(action));
    assertThat(headersOf(request)).isEqualTo(Map.of("action", wireName));
    assertThat(request.body()).isEqualTo(new JsonObject("{\"lease\": \"lease-1\"}"));
    assertThat(ChannelRequest.decode(WHERE, request))
        .isEqualTo(new ChannelRequest(action, null, null, -1, false, 0, null, 0, null, "lease-1", null, null));
  }

  /** Sends a request as the client does, and returns it as the host receives it. */
  private static Message<Object> send(Object body, DeliveryOptions options) throws Exception {
    vertx.eventBus().request(ADDRESS, body, options);
    Message<Object> message = received.poll(5, TimeUnit.SECONDS);
    assertThat(message).as("the request arrived").isNotNull();
    return message;
  }

  /** The headers of a message, each with its one value (a header sent twice would fail the host's decoding). */
  private static Map<String, String> headersOf(Message<?> message) {
    MultiMap headers = message.headers();
    return headers.names().stream().collect(Collectors.toMap(name -> name, headers::get));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
