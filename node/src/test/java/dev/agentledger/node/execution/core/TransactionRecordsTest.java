package dev.agentledger.node.execution.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TransactionRecordsTest {
  private static List<byte[]> records(Random random, int count) {
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] r = new byte[random.nextInt(400)];
      random.nextBytes(r);
      records.add(r);
    }
    return records;
  }

  @Property(tries = 50)
  void viewsEqualTheRecordsTheyWereMadeFrom(
      @ForAll long seed, @ForAll @IntRange(max = 300) int count) {
    List<byte[]> records = records(new Random(seed), count);
    TransactionRecords flat = TransactionRecords.copyOf(records);

    assertThat(flat.size()).isEqualTo(count);
    for (int i = 0; i < count; i++) {
      byte[] r = records.get(i);
      assertThat(flat.length(i)).isEqualTo(r.length);
      assertThat(
              Arrays.equals(
                  flat.bytes(), flat.offset(i), flat.offset(i) + flat.length(i), r, 0, r.length))
          .isTrue();
      assertThat(flat.copy(i)).isEqualTo(r);
    }
    assertThat(flat.asList()).containsExactlyElementsOf(records);
  }

  @Property(tries = 50)
  void aReusedBuilderGivesWhatCopyOfGives(@ForAll long seed) {
    Random random = new Random(seed);
    TransactionRecords.Builder builder = new TransactionRecords.Builder();
    for (int commit = 0; commit < 4; commit++) {
      // each commit's records lie at odd offsets of a larger source, as in a batch body
      List<byte[]> records = records(random, random.nextInt(2_000));
      byte[] source = new byte[7 + records.stream().mapToInt(r -> r.length + 3).sum()];
      random.nextBytes(source);
      builder.clear();
      int at = 7;
      for (byte[] r : records) {
        System.arraycopy(r, 0, source, at, r.length);
        builder.add(source, at, r.length);
        at += r.length + 3;
      }
      TransactionRecords built = builder.build();
      assertThat(builder.size()).isEqualTo(records.size());
      assertThat(built).isEqualTo(TransactionRecords.copyOf(records));
      assertThat(built.bytes()).hasSize(records.stream().mapToInt(r -> r.length).sum());
      assertThat(built.asList()).containsExactlyElementsOf(records);
    }
  }

  @Test
  void recordsBuiltAreNotChangedByTheBuildersNextCommit() {
    TransactionRecords.Builder builder = new TransactionRecords.Builder();
    byte[] first = {1, 2, 3};
    TransactionRecords built = builder.add(first, 0, 3).build();
    builder.clear().add(new byte[] {9, 9, 9, 9}, 0, 4).build();
    assertThat(built.copy(0)).containsExactly(1, 2, 3);
    first[0] = 7;
    assertThat(built.copy(0)).containsExactly(1, 2, 3);
  }

  @Test
  void emptyAndOutOfRange() {
    assertThat(TransactionRecords.copyOf(List.of()).size()).isZero();
    assertThat(new TransactionRecords.Builder().build()).isEqualTo(TransactionRecords.empty());
    TransactionRecords one = TransactionRecords.copyOf(List.of(new byte[] {5}));
    assertThatThrownBy(() -> one.offset(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> one.copy(-1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void anInputMadeFromAListHoldsItsRecordsFlat() {
    List<byte[]> records = records(new Random(3), 20);
    CommittedInput input = new CommittedInput(1, 1, new byte[32], List.of(), records);
    assertThat(input.records()).isEqualTo(TransactionRecords.copyOf(records));
    assertThat(input.transactions()).containsExactlyElementsOf(records);
  }
}
