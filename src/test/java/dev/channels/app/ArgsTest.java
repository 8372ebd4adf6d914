package dev.channels.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {

  private static final Map<String, Set<String>> OPTIONS = Map.of("serve", Set.of("conf", "cluster-name"), "demo",
      Set.of("items"));
  private static final Map<String, Set<String>> FLAGS = Map.of("serve", Set.of("cluster"));

  @Test
  void aFlagTakesNoValueAndIsOnWhenGiven() {
    Args args = Args.parse(new String[] {"serve", "--cluster", "--conf", "x.json"}, OPTIONS, FLAGS, "serve");
    assertThat(args.flag("cluster")).isTrue();
    assertThat(args.options()).containsExactlyEntriesOf(Map.of("conf", "x.json"));
    assertThat(Args.parse(new String[] {"--conf", "x.json", "--cluster"}, OPTIONS, FLAGS, "serve").flag("cluster"))
        .isTrue();
    assertThat(Args.parse(new String[] {"--conf", "x.json"}, OPTIONS, FLAGS, "serve").flag("cluster")).isFalse();
  }

  @Test
  void aFlagGivenAValueIsRefusedByName() {
    assertThatThrownBy(() -> Args.parse(new String[] {"serve", "--cluster", "yes"}, OPTIONS, FLAGS, "serve"))
        .hasMessage("flag --cluster takes no value, not 'yes'");
  }

  @Test
  void aFlagIsKnownOnlyToItsCommand() {
    assertThatThrownBy(() -> Args.parse(new String[] {"demo", "--cluster"}, OPTIONS, FLAGS, "serve"))
        .hasMessageContaining("unknown option '--cluster' for demo");
  }

  @Test
  void theUnknownOptionsMessageListsOptionsAndFlags() {
    assertThatThrownBy(() -> Args.parse(new String[] {"--clustre"}, OPTIONS, FLAGS, "serve"))
        .hasMessage("unknown option '--clustre' for serve (known: --cluster, --cluster-name, --conf)");
  }

  @Test
  void anOptionStillNeedsItsValueAndIsGivenOnce() {
    assertThatThrownBy(() -> Args.parse(new String[] {"--cluster", "--conf"}, OPTIONS, FLAGS, "serve"))
        .hasMessage("option --conf needs a value");
    assertThatThrownBy(() -> Args.parse(new String[] {"--conf", "a", "--conf", "b"}, OPTIONS, FLAGS, "serve"))
        .hasMessage("option --conf is given twice");
  }
}
