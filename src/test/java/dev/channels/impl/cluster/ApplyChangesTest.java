package dev.channels.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replica's writes change the state of their own channel only: a channel deleted and created
 * again under its name (on this node or another) neither mixes its state into its namesake's, nor
 * takes it away.
 */
class ApplyChangesTest {

  private static final long DELETED = 7;
  private static final long CREATED_AGAIN = 8;

  private final Map.Entry<String, HashMap<String, byte[]>> entry = new AbstractMap.SimpleEntry<>("jobs", null);

  @Test
  void writesSetAndRemovePartsOfTheirChannelsState() {
    assertThat(apply(DELETED, true, "i0", "a", "i1", "b")).isTrue();
    assertThat(apply(DELETED, false, "i0", null, "i2", "c")).isTrue();
    assertThat(parts()).containsExactlyInAnyOrderEntriesOf(Map.of("i1", "b", "i2", "c"));
  }

  @Test
  void aCreatedChannelsFirstWriteReplacesWhatItsDeletedNamesakeLeft() {
    apply(DELETED, true, "i0", "a", "i1", "b");
    assertThat(apply(CREATED_AGAIN, true, "i0", "new")).isTrue();
    assertThat(parts()).containsExactlyInAnyOrderEntriesOf(Map.of("i0", "new"));
    assertThat(ApplyChanges.incarnationOf(entry.getValue())).isEqualTo(CREATED_AGAIN);
  }

  @Test
  void aLateWriteOfTheDeletedNamesakeIsRefusedAndChangesNothing() {
    apply(DELETED, true, "i0", "a");
    apply(CREATED_AGAIN, true, "i0", "new");
    assertThat(apply(DELETED, false, "i0", null, "i5", "stale")).isFalse();
    assertThat(parts()).containsExactlyInAnyOrderEntriesOf(Map.of("i0", "new"));
  }

  @Test
  void aWriteToAnEntryWithoutStateIsRefused() {
    assertThat(apply(DELETED, false, "i0", "a")).as("its state was removed").isFalse();
    assertThat(entry.getValue()).isNull();
  }

  @Test
  void theDeletedChannelsRemovalTakesItsOwnStateAndLeavesItsNamesakes() {
    apply(CREATED_AGAIN, true, "i0", "new");
    new ApplyChanges.Remove(DELETED).process(entry);
    assertThat(parts()).containsExactlyInAnyOrderEntriesOf(Map.of("i0", "new"));
    new ApplyChanges.Remove(CREATED_AGAIN).process(entry);
    assertThat(entry.getValue()).isNull();
  }

  /** Applies {@code changes} (part, value; a {@code null} value removes the part) as a write of {@code incarnation}. */
  private boolean apply(long incarnation, boolean fresh, String... changes) {
    LinkedHashMap<String, byte[]> write = new LinkedHashMap<>();
    for (int i = 0; i < changes.length; i += 2) {
      write.put(changes[i], changes[i + 1] == null ? ApplyChanges.REMOVE : changes[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return new ApplyChanges(incarnation, fresh, write).process(entry);
  }

  /** The entry's parts, without its incarnation. */
  private Map<String, String> parts() {
    Map<String, String> parts = new HashMap<>();
    entry.getValue().forEach((part, value) -> parts.put(part, new String(value, StandardCharsets.UTF_8)));
    parts.remove(ReplicaCodec.INCARNATION);
    return parts;
  }
}
