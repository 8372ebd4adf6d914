package dev.channels.impl.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.channels.Channel;
import dev.channels.ChannelStatus;
import dev.channels.impl.core.DeadLetter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the host answers and the client reads: written by one half, read by the other, through
 * JSON text as a clustered event bus carries it. The documented shapes are spelled out as literals.
 */
class ReplyRoundTripTest {

  @Test
  void aSettlementSaysHowEachItemIsSettledAndTheCreditItGrants() {
    JsonObject answer = new Settlement.Builder()
        .nack(0)
        .delay(1, 250)
        .release(2)
        .reject(3, DeadLetter.REJECTED, "bad input")
        .reject(4, DeadLetter.UNMAPPABLE, null)
        .build(7);
    assertThat(answer).isEqualTo(new JsonObject("{\"nack\": [0], \"delay\": [{\"index\": 1, \"ms\": 250}],"
        + " \"release\": [2], \"reject\": [{\"index\": 3, \"reason\": \"rejected\", \"error\": \"bad input\"},"
        + " {\"index\": 4, \"reason\": \"unmappable\"}], \"credit\": 7}"));

    Settlement settlement = Settlement.decode(overTheWire(answer), 6);
    assertThat(settlement.kind(0)).isEqualTo(Settlement.Kind.NACK);
    assertThat(settlement.kind(1)).isEqualTo(Settlement.Kind.DELAY);
    assertThat(settlement.delayMs(1)).isEqualTo(250);
    assertThat(settlement.kind(2)).isEqualTo(Settlement.Kind.RELEASE);
    assertThat(settlement.kind(3)).isEqualTo(Settlement.Kind.REJECT);
    assertThat(settlement.reason(3)).isEqualTo(DeadLetter.REJECTED);
    assertThat(settlement.error(3)).isEqualTo("bad input");
    assertThat(settlement.kind(4)).isEqualTo(Settlement.Kind.REJECT);
    assertThat(settlement.reason(4)).isEqualTo(DeadLetter.UNMAPPABLE);
    assertThat(settlement.error(4)).isNull();
    assertThat(settlement.kind(5)).isEqualTo(Settlement.Kind.ACK);
    assertThat(settlement.credit()).isEqualTo(7);
  }

  @Test
  void anAnswerThatSettlesNothingAcknowledgesEveryItem() {
    Settlement.Builder nothing = new Settlement.Builder();
    assertThat(nothing.settlesAny()).isFalse();
    assertThat(nothing.build(-1)).as("a plain acknowledgement: a null body").isNull();

    Settlement plain = Settlement.decode(nothing.build(-1), 3);
    assertThat(plain.kind(0)).isEqualTo(Settlement.Kind.ACK);
    assertThat(plain.kind(2)).isEqualTo(Settlement.Kind.ACK);
    assertThat(plain.credit()).isEqualTo(-1);

    JsonObject creditOnly = new Settlement.Builder().build(4);
    assertThat(creditOnly).isEqualTo(new JsonObject("{\"credit\": 4}"));
    Settlement granting = Settlement.decode(overTheWire(creditOnly), 2);
    assertThat(granting.kind(0)).isEqualTo(Settlement.Kind.ACK);
    assertThat(granting.kind(1)).isEqualTo(Settlement.Kind.ACK);
    assertThat(granting.credit()).isEqualTo(4);
  }

  @Test
  void aTakesSettlementIgnoresCreditAndAPlainAnswerAcknowledges() {
    JsonObject rejected = new Settlement.Builder().reject(0, DeadLetter.UNMAPPABLE, "not a Point").build(-1);
    assertThat(Settlement.isSettlement(rejected)).isTrue();
    Settlement settlement = Settlement.ofTakeAnswer(overTheWire(rejected), 1);
    assertThat(settlement.kind(0)).isEqualTo(Settlement.Kind.REJECT);
    assertThat(settlement.reason(0)).isEqualTo(DeadLetter.UNMAPPABLE);
    assertThat(Settlement.ofTakeAnswer(null, 1).kind(0)).isEqualTo(Settlement.Kind.ACK);
  }

  @Test
  void anItemSettledTwiceIsRefused() {
    JsonObject twice = new Settlement.Builder().nack(0).release(0).build(-1);
    assertThatThrownBy(() -> Settlement.decode(twice, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("item 0 is settled twice");
  }

  @Test
  void aStatusKeepsEveryField() {
    ChannelStatus status = new ChannelStatus("jobs", 100, 3, true, false, 1, 2, 10, 7, 4, 2, 1, null, 0, 5);
    JsonObject json = StatusJson.encode(status, 20, "jobs-dead");
    assertThat(json).isEqualTo(new JsonObject("{\"name\": \"jobs\", \"capacity\": 100, \"size\": 3, \"closed\": true,"
        + " \"finished\": false, \"putters\": 1, \"takers\": 2, \"put\": 10, \"taken\": 7, \"inFlight\": 4,"
        + " \"redelivered\": 2, \"deadLettered\": 1, \"producers\": 5, \"maxDeliveries\": 20, \"deadLetter\": \"jobs-dead\"}"));
    assertThat(StatusJson.decode(overTheWire(json))).isEqualTo(status);
    assertThat(StatusJson.finished(overTheWire(json))).isFalse();
  }

  @Test
  void anUnboundedChannelsCapacityIsNullAndAFinishedOneSaysSo() {
    ChannelStatus status = new ChannelStatus("jobs", Channel.UNBOUNDED, 0, true, true, 0, 0, 5, 5, 0);
    JsonObject json = StatusJson.encode(status);
    assertThat(json.containsKey("capacity")).isTrue();
    assertThat(json.getValue("capacity")).isNull();
    assertThat(StatusJson.decode(overTheWire(json))).isEqualTo(status);
    assertThat(StatusJson.finished(overTheWire(json))).isTrue();
  }

  @Test
  void aDeleteSaysHowManyItemsItDropped() {
    JsonObject deleted = StatusJson.deleted("jobs", 3);
    assertThat(deleted).isEqualTo(new JsonObject("{\"name\": \"jobs\", \"discarded\": 3}"));
    assertThat(StatusJson.discarded(overTheWire(deleted))).isEqualTo(3);
  }

  @Test
  void aListHoldsEveryStatus() {
    JsonObject jobs = StatusJson.encode(new ChannelStatus("jobs", 1, 0, false, false, 0, 0, 0, 0, 0));
    JsonObject mail = StatusJson.encode(new ChannelStatus("mail", 2, 1, false, false, 0, 0, 1, 0, 0));
    JsonObject list = StatusJson.list(List.of(jobs, mail));
    assertThat(list).isEqualTo(new JsonObject().put("channels", new JsonArray().add(jobs).add(mail)));
    assertThat(StatusJson.channels(overTheWire(list))).containsExactly(jobs, mail);
    assertThat(StatusJson.channels(StatusJson.list(List.of()))).isEmpty();
  }

  @Test
  void aCancelSaysHowManyItemsWentBack() {
    JsonObject cancelled = Replies.cancelled(2);
    assertThat(cancelled).isEqualTo(new JsonObject("{\"returned\": 2}"));
    assertThat(Replies.returned(overTheWire(cancelled))).isEqualTo(2);
  }

  @Test
  void aPutAllSaysHowManyItEnqueuedAndWhyItStoppedEarly() {
    JsonObject all = Replies.putAll(5);
    assertThat(all).isEqualTo(new JsonObject("{\"enqueued\": 5}"));
    assertThat(Replies.enqueued(overTheWire(all))).isEqualTo(5);
    assertThat(Replies.stopped(overTheWire(all))).isNull();

    List<String> reasons = List.of(Protocol.STOPPED_CLOSED, Protocol.STOPPED_TIMEOUT, Protocol.STOPPED_OVERLOADED,
        Protocol.STOPPED_UNAVAILABLE);
    assertThat(reasons).containsExactly("closed", "timeout", "overloaded", "unavailable");
    for (String reason : reasons) {
      JsonObject stopped = Replies.putAll(2, reason);
      assertThat(stopped).isEqualTo(new JsonObject().put("enqueued", 2).put("stopped", reason));
      assertThat(Replies.enqueued(overTheWire(stopped))).isEqualTo(2);
      assertThat(Replies.stopped(overTheWire(stopped))).isEqualTo(reason);
    }
  }

  @Test
  void theDeliveriesHeaderCountsEachItemInOrder() {
    StringBuilder header = new StringBuilder();
    for (int deliveries : new int[] {1, 1, 2, 12}) {
      DeliveriesHeader.append(header, deliveries);
    }
    assertThat(header).hasToString("1,1,2,12");
    assertThat(DeliveriesHeader.read(header.toString(), 4)).containsExactly(1, 1, 2, 12);
    assertThat(DeliveriesHeader.read(null, 2)).as("no header: first deliveries").containsExactly(1, 1);
    assertThat(DeliveriesHeader.read("3", 2)).as("an item not counted: a first delivery").containsExactly(3, 1);
  }

  /** The object as a clustered event bus delivers it: through its JSON text. */
  private static JsonObject overTheWire(JsonObject json) {
    return new JsonObject(json.encode());
  }
}
