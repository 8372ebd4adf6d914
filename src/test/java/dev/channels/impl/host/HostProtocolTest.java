package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.BAD_REQUEST;
import static dev.channels.impl.host.HostRequests.NOT_FOUND;
import static dev.channels.impl.host.HostRequests.freshStatus;
import static dev.channels.impl.host.HostRequests.noHandlers;
import static dev.channels.impl.host.HostRequests.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import dev.channels.LocalOnlyCodec;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed requests: each gets its own code and {@code "NAME: detail"} message, changes nothing,
 * and the host keeps serving. The host serves channel {@code jobs} (capacity 2, one item buffered),
 * so a request that slipped through validation would visibly change it: a put would buffer, a take
 * would remove the item, a close would close it, a create or delete would change the list.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostProtocolTest {

  private HostRequests requests;

  /** A malformed request, how to send it, and the refusal it must get. */
  record Malformed(String description, Function<HostRequests, HostRequests.Request> request,
                   int code, String name, String mentions) {
    @Override
    public String toString() {
      return description;
    }
  }

  /** A type the event bus carries only with a codec of its own: never an item. */
  record Point(int x) {
  }

  @BeforeEach
  void serveOneChannelWithOneItem(Vertx vertx, VertxTestContext ctx) {
    requests = new HostRequests(vertx);
    vertx.eventBus().registerDefaultCodec(Point.class, new LocalOnlyCodec<>("point"));
    vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(new JsonObject()
            .put("channels", new JsonArray().add(new JsonObject().put("name", "jobs").put("capacity", 2)))))
        .compose(id -> requests.put("jobs", "first"))
        .onComplete(ctx.succeedingThenComplete());
  }

  static Stream<Malformed> malformedRequests() {
    String longName = "n".repeat(129);
    return Stream.of(
        // the action header
        bad("a channel request without an action header", r -> r.to(r.address("jobs")).body("x"), "'jobs'"),
        bad("a registry request without an action header",
            r -> r.to(r.registryAddress()).body(new JsonObject().put("name", "jobs2")), null),
        bad("an unknown channel action", r -> r.channel("jobs", "push").body("x"), "'jobs'"),
        bad("an unknown registry action", r -> r.registry("drop").body(new JsonObject().put("name", "jobs")), null),
        bad("an action named in upper case", r -> r.channel("jobs", "TAKE"), "'jobs'"),
        bad("two action headers", r -> r.to(r.address("jobs")).header("action", "take", "take"), "'jobs'"),
        bad("two different action headers", r -> r.to(r.address("jobs")).header("action", "take", "put").body("x"),
            "'jobs'"),
        bad("a registry action (create) on a channel address",
            r -> r.channel("jobs", "create").body(new JsonObject().put("name", "jobs2")), "'jobs'"),
        bad("a registry action (delete) on a channel address",
            r -> r.channel("jobs", "delete").body(new JsonObject().put("name", "jobs")), "'jobs'"),
        bad("a channel action (take) on the registry", r -> r.registry("take"), null),
        bad("a channel action (put) on the registry", r -> r.registry("put").body("x"), null),
        // the timeout header
        bad("a take with timeout 'abc'", r -> r.channel("jobs", "take").header("timeout", "abc"), "'jobs'"),
        bad("a take with timeout '-1'", r -> r.channel("jobs", "take").header("timeout", "-1"), "'jobs'"),
        bad("a take with timeout '1.5'", r -> r.channel("jobs", "take").header("timeout", "1.5"), "'jobs'"),
        bad("a take with an empty timeout", r -> r.channel("jobs", "take").header("timeout", ""), "'jobs'"),
        bad("a take with timeout '1e3'", r -> r.channel("jobs", "take").header("timeout", "1e3"), "'jobs'"),
        bad("a take with timeout ' 5'", r -> r.channel("jobs", "take").header("timeout", " 5"), "'jobs'"),
        bad("a take with two timeout values", r -> r.channel("jobs", "take").header("timeout", "10", "20"), "'jobs'"),
        bad("a take with a timeout too large for a timer",
            r -> r.channel("jobs", "take").header("timeout", "99999999999999999999"), "'jobs'"),
        bad("a put with timeout 'abc'", r -> r.channel("jobs", "put").header("timeout", "abc").body("x"), "'jobs'"),
        bad("a join with timeout '-5'", r -> r.channel("jobs", "join").header("timeout", "-5"), "'jobs'"),
        bad("a create with timeout 'soon'",
            r -> r.registry("create").header("timeout", "soon").body(new JsonObject().put("name", "jobs2")), null),
        // create bodies
        bad("a create without a body", r -> r.registry("create"), null),
        bad("a create with a string body", r -> r.registry("create").body("jobs2"), null),
        bad("a create with an array body", r -> r.registry("create").body(new JsonArray().add("jobs2")), null),
        bad("a create without a name", r -> r.registry("create").body(new JsonObject().put("capacity", 1)), null),
        bad("a create with a null name", r -> r.registry("create").body(new JsonObject().putNull("name")), null),
        bad("a create with an empty name", r -> r.registry("create").body(new JsonObject().put("name", "")), null),
        bad("a create with a dotted name", r -> r.registry("create").body(new JsonObject().put("name", "a.b")), null),
        bad("a create with a 129-character name",
            r -> r.registry("create").body(new JsonObject().put("name", longName)), null),
        bad("a create with a number as name", r -> r.registry("create").body(new JsonObject().put("name", 5)), null),
        bad("a create with a name containing a space",
            r -> r.registry("create").body(new JsonObject().put("name", "bad name")), null),
        bad("a create with a name ending in a newline",
            r -> r.registry("create").body(new JsonObject().put("name", "jobs2\n")), null),
        bad("a create with capacity -1",
            r -> r.registry("create").body(new JsonObject().put("name", "jobs2").put("capacity", -1)), null),
        bad("a create with capacity \"5\"",
            r -> r.registry("create").body(new JsonObject().put("name", "jobs2").put("capacity", "5")), null),
        bad("a create with capacity 2.5",
            r -> r.registry("create").body(new JsonObject().put("name", "jobs2").put("capacity", 2.5)), null),
        bad("a create with capacity true",
            r -> r.registry("create").body(new JsonObject().put("name", "jobs2").put("capacity", true)), null),
        bad("a create of the existing channel with capacity \"2\" (no coercion, not a conflict)",
            r -> r.registry("create").body(new JsonObject().put("name", "jobs").put("capacity", "2")), null),
        bad("a create with replicated \"yes\"",
            r -> r.registry("create").body(new JsonObject().put("name", "jobs2").put("replicated", "yes")), null),
        bad("a replicated create on a host without a cluster",
            r -> r.registry("create").body(new JsonObject().put("name", "jobs2").put("replicated", true)),
            "not in a cluster"),
        bad("a create with an unknown field",
            r -> r.registry("create").body(new JsonObject().put("name", "jobs2").put("durable", true)), null),
        // delete and list bodies
        refusal("a delete of an unknown name", r -> r.registry("delete").body(new JsonObject().put("name", "ghost")),
            NOT_FOUND, "NOT_FOUND", "'ghost'"),
        bad("a delete with a bad name", r -> r.registry("delete").body(new JsonObject().put("name", "a.b")), null),
        bad("a delete without a body", r -> r.registry("delete"), null),
        bad("a delete with an unknown field",
            r -> r.registry("delete").body(new JsonObject().put("name", "jobs").put("force", true)), null),
        bad("a list with a string body", r -> r.registry("list").body("all"), null),
        bad("a list with an array body", r -> r.registry("list").body(new JsonArray()), null),
        bad("a list of one channel with a bad name", r -> r.registry("list").body(new JsonObject().put("name", "a.b")),
            null),
        bad("a list with an unknown field", r -> r.registry("list").body(new JsonObject().put("owner", "x")), null),
        // channel bodies
        bad("a put with a null body", r -> r.channel("jobs", "put"), "'jobs'"),
        bad("an offer with a null body", r -> r.channel("jobs", "offer"), "'jobs'"),
        bad("a put of an item with a codec of its own", r -> r.channel("jobs", "put").body(new Point(1)),
            "not a dev.channels.impl.host.HostProtocolTest$Point"),
        bad("an offer of an item with a codec of its own", r -> r.channel("jobs", "offer").body(new Point(1)),
            "'jobs'"),
        bad("a put with an empty key", r -> r.channel("jobs", "put").header("key", "").body("x"), "'key'"),
        bad("a put with a 257-character key", r -> r.channel("jobs", "put").header("key", "k".repeat(257)).body("x"),
            "'key'"),
        bad("a put with two keys", r -> r.channel("jobs", "put").header("key", "a", "b").body("x"), "'key'"),
        bad("a put-all with a sequence without a number",
            r -> r.channel("jobs", "put-all").header("sequence", "producer").body(new JsonArray().add("x")), "'sequence'"),
        bad("a put with a sequence numbered -1", r -> r.channel("jobs", "put").header("sequence", "p:-1").body("x"),
            "'sequence'"),
        bad("a put with a sequence without a producer", r -> r.channel("jobs", "put").header("sequence", ":5").body("x"),
            "'sequence'"),
        bad("a take with a body", r -> r.channel("jobs", "take").body("x"), "'jobs'"),
        bad("a poll with a body", r -> r.channel("jobs", "poll").body(Buffer.buffer("x")), "'jobs'"),
        bad("a close with a body", r -> r.channel("jobs", "close").body(new JsonObject()), "'jobs'"),
        bad("a join with a body", r -> r.channel("jobs", "join").body(1), "'jobs'"),
        bad("a status with a body", r -> r.channel("jobs", "status").body(true), "'jobs'"),
        // producer leases
        bad("an attach with a body", r -> r.channel("jobs", "attach").body(new JsonObject()), "'jobs'"),
        bad("an attach with an empty node header", r -> r.channel("jobs", "attach").header("node", ""), "'jobs'"),
        bad("an attach with two node headers", r -> r.channel("jobs", "attach").header("node", "a", "b"), "'jobs'"),
        bad("a renew without a body", r -> r.channel("jobs", "renew"), "'jobs'"),
        bad("a renew with a string body", r -> r.channel("jobs", "renew").body("lease-1"), "'jobs'"),
        bad("a renew with an empty lease", r -> r.channel("jobs", "renew").body(new JsonObject().put("lease", "")),
            "'lease' must be a non-empty string"),
        bad("a renew with a number as lease", r -> r.channel("jobs", "renew").body(new JsonObject().put("lease", 7)),
            "'jobs'"),
        bad("a renew with an unknown field",
            r -> r.channel("jobs", "renew").body(new JsonObject().put("lease", "l").put("node", "n")), "unknown field 'node'"),
        bad("a detach without a body", r -> r.channel("jobs", "detach"), "'jobs'"),
        bad("a detach without a lease", r -> r.channel("jobs", "detach").body(new JsonObject()), "'jobs'"),
        bad("a detach with an array body", r -> r.channel("jobs", "detach").body(new JsonArray().add("l")), "'jobs'"),
        refusal("a renew of a lease nobody holds",
            r -> r.channel("jobs", "renew").body(new JsonObject().put("lease", "ghost")), NOT_FOUND, "NOT_FOUND",
            "no producer holds the lease 'ghost'"),
        bad("a create with closeWhenDetached \"true\"",
            r -> r.registry("create").body(new JsonObject().put("name", "jobs2").put("closeWhenDetached", "true")), null),
        bad("a create with closeWhenDetached 1",
            r -> r.registry("create").body(new JsonObject().put("name", "jobs2").put("closeWhenDetached", 1)), null));
  }

  private static Malformed bad(String description, Function<HostRequests, HostRequests.Request> request,
                               String mentions) {
    return refusal(description, request, BAD_REQUEST, "BAD_REQUEST", mentions);
  }

  private static Malformed refusal(String description, Function<HostRequests, HostRequests.Request> request,
                                   int code, String name, String mentions) {
    return new Malformed(description, request, code, name, mentions);
  }

  @ParameterizedTest(name = "{0} is refused and changes nothing")
  @MethodSource("malformedRequests")
  void aMalformedRequestIsRefusedWithItsCodeAndChangesNothing(Malformed malformed, VertxTestContext ctx) {
    snapshot().compose(before -> refused(malformed.request().apply(requests).send(), malformed.code(), malformed.name())
            .compose(refusal -> {
              if (malformed.mentions() != null) {
                assertThat(refusal.getMessage()).contains(malformed.mentions());
              }
              return snapshot();
            })
            .map(after -> {
              assertThat(after).isEqualTo(before);
              return after;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theMalformedRequestsCoverAtLeastTwentyKinds() {
    assertThat(malformedRequests().count()).isGreaterThanOrEqualTo(20);
  }

  @Test
  void theStateTheSnapshotsCompareIsTheOneTheSetUpMade(VertxTestContext ctx) {
    JsonObject jobs = freshStatus("jobs", 2).put("size", 1).put("put", 1L);
    snapshot().onComplete(ctx.succeeding(snapshot -> ctx.verify(() -> {
      assertThat(snapshot.getJsonObject("status")).isEqualTo(jobs);
      assertThat(snapshot.getJsonObject("list")).isEqualTo(new JsonObject().put("channels", new JsonArray().add(jobs)));
      ctx.completeNow();
    })));
  }

  @Test
  void theHostKeepsServingAfterEveryKindOfMalformedRequest(VertxTestContext ctx) {
    List<Malformed> all = malformedRequests().toList();
    Future<Void> barrage = Future.succeededFuture();
    for (Malformed malformed : all) {
      barrage = barrage.compose(v -> refused(malformed.request().apply(requests).send(), malformed.code(),
          malformed.name()).mapEmpty());
    }
    barrage
        .compose(v -> requests.put("jobs", "second"))
        .compose(v -> requests.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("first"))
        .compose(v -> requests.close("jobs"))
        .compose(v -> requests.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("second"))
        .compose(v -> requests.channel("jobs", "join").timeout(0).json())
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 2)
            .put("closed", true).put("finished", true).put("put", 2L).put("taken", 2L)))
        .compose(v -> requests.create("jobs2", 0))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs2", 0)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRequestToAnUnknownChannelGetsNoHandlers(VertxTestContext ctx) {
    noHandlers(requests.channel("ghost", "put").body("x").send())
        .compose(v -> noHandlers(requests.channel("ghost", "status").send()))
        .compose(v -> snapshot())
        .map(after -> assertThat(after.getJsonObject("list").getJsonArray("channels")).hasSize(1))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aValidNameOf128CharactersFromTheWholeAlphabetIsAccepted(VertxTestContext ctx) {
    String name = ("AZaz09_-" + "x".repeat(120));
    requests.create(name, 1)
        .map(status -> assertThat(status).isEqualTo(freshStatus(name, 1)))
        .compose(v -> requests.put(name, "item"))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** The state a malformed request must leave alone: the channel's status and the registry's list. */
  private Future<JsonObject> snapshot() {
    return requests.status("jobs").compose(status -> requests.list()
        .map(list -> new JsonObject().put("status", status).put("list", list)));
  }
}
