package dev.agentledger.bench.soak.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SoakAnalysisTest {
  private static final long S = 1_000_000_000L;
  private static final long MIB = 1L << 20;

  private static final SoakAnalysis.Load GOOD =
      new SoakAnalysis.Load(1000, 1000, 1000, 0, 50.0, true, 40, 5, 5);

  @Test
  void slopeOfALineIsItsGradientAndOfAConstantZero() {
    long[] t = {0, 10, 20, 30, 40};
    assertThat(SoakAnalysis.slope(t, new long[] {5, 25, 45, 65, 85}, 0, 5))
        .isCloseTo(2.0, within(1e-12));
    assertThat(SoakAnalysis.slope(t, new long[] {7, 7, 7, 7, 7}, 0, 5)).isZero();
    // only the range [2, 5) counts
    assertThat(SoakAnalysis.slope(t, new long[] {1000, -1000, 3, 4, 5}, 2, 5))
        .isCloseTo(0.1, within(1e-12));
  }

  @Test
  void slopeOfNoisyPointsIsTheLeastSquaresFit() {
    long[] t = {0, 1, 2, 3};
    long[] y = {1, 0, 1, 4};
    // mean t 1.5, mean y 1.5; sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5;
    // sxy = (-1.5)(-0.5) + (-0.5)(-1.5) + (0.5)(-0.5) + (1.5)(2.5) = 0.75 + 0.75 - 0.25 + 3.75 = 5
    assertThat(SoakAnalysis.slope(t, y, 0, 4)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void slopeNeedsTwoDistinctTimes() {
    assertThat(SoakAnalysis.slope(new long[] {1}, new long[] {1}, 0, 1)).isNaN();
    assertThat(SoakAnalysis.slope(new long[] {4, 4}, new long[] {1, 9}, 0, 2)).isNaN();
  }

  @Test
  void rowSkipsTheWarmUpAndFitsOnlyTheSecondHalfOfTheSteadyState() {
    MemorySeries s = new MemorySeries("v0");
    // warm-up 0..60 s climbs steeply; steady state 60..180 s: flat 600 MiB until 120 s, then
    // +1 MiB per 10 s (360 MiB/h)
    for (long t = 0; t <= 180; t += 10) {
      long rss;
      if (t < 60) {
        rss = (100 + 8 * t) * MIB;
      } else if (t <= 120) {
        rss = 600 * MIB;
      } else {
        rss = (600 + (t - 120) / 10) * MIB;
      }
      s.add(t * S, rss, t == 180 ? 300 * MIB : 200 * MIB);
    }
    SoakAnalysis.Row r = SoakAnalysis.row(s, 60 * S);
    assertThat(r.samples()).isEqualTo(13);
    assertThat(r.rssStartMib()).isEqualTo(600.0);
    assertThat(r.rssEndMib()).isEqualTo(606.0);
    assertThat(r.rssMaxMib()).isEqualTo(606.0);
    // second half: 120..180 s, a straight line of 1 MiB per 10 s
    assertThat(r.slopeMibPerHour()).isCloseTo(360.0, within(1e-9));
    assertThat(r.heapEndMib()).isEqualTo(300.0);
    assertThat(r.heapMaxMib()).isEqualTo(300.0);
  }

  @Test
  void flatSeriesWithAGcSawtoothIsFlat() {
    MemorySeries s = new MemorySeries("v1");
    for (long t = 0; t < 1800; t += 10) {
      s.add(t * S, (700 + (t / 10) % 4 * 8) * MIB, -1);
    }
    SoakAnalysis.Row r = SoakAnalysis.row(s, 300 * S);
    assertThat(Math.abs(r.slopeMibPerHour())).isLessThan(5.0);
    assertThat(r.heapEndMib()).isEqualTo(-1);
    SoakAnalysis.Verdict v = SoakAnalysis.verdict(List.of(r), GOOD, 50);
    assertThat(v.flat()).isTrue();
    assertThat(v.pass()).isTrue();
    assertThat(SoakAnalysis.render(List.of(r), GOOD, v, 50))
        .contains("verdict: PASS; RSS flat")
        .contains("lost 0")
        .contains("no fork (chains agree at 40 heights)")
        .contains("proofs verified 5/5");
  }

  @Test
  void aSlopeAtTheThresholdIsNotFlatAndFails() {
    SoakAnalysis.Row growing = new SoakAnalysis.Row("v2", 10, 600, 620, 620, 50.0, 1, 2);
    SoakAnalysis.Row flat = new SoakAnalysis.Row("v3", 10, 600, 600, 601, -3.0, 1, 2);
    SoakAnalysis.Verdict v = SoakAnalysis.verdict(List.of(flat, growing), GOOD, 50);
    assertThat(v.flat()).isFalse();
    assertThat(v.pass()).isFalse();
    assertThat(v.failures())
        .containsExactly("v2: RSS grows 50.0 MiB/h over the second half (threshold 50.0)");
    assertThat(SoakAnalysis.render(List.of(flat, growing), GOOD, v, 50))
        .contains("verdict: FAIL; RSS NOT flat");
  }

  @Test
  void lostForkProofsAndNothingCommittedEachFailAFlatSoak() {
    SoakAnalysis.Row flat = new SoakAnalysis.Row("v0", 10, 600, 600, 601, 1.0, 1, 2);
    SoakAnalysis.Verdict v =
        SoakAnalysis.verdict(
            List.of(flat), new SoakAnalysis.Load(10, 10, 0, 3, 0, false, 0, 4, 3), 50);
    assertThat(v.flat()).isTrue();
    assertThat(v.failures())
        .containsExactly(
            "3 accepted transactions lost",
            "fork: the validators' chains differ",
            "nothing committed",
            "1 of 4 proofs did not verify");
  }

  @Test
  void tooFewSamplesOrNoneAreNotFlat() {
    MemorySeries s = new MemorySeries("v0");
    s.add(0, 100 * MIB, -1);
    s.add(100 * S, 100 * MIB, -1);
    SoakAnalysis.Row none = SoakAnalysis.row(s, 200 * S);
    assertThat(none.samples()).isZero();
    SoakAnalysis.Verdict v = SoakAnalysis.verdict(List.of(none), GOOD, 50);
    assertThat(v.flat()).isFalse();
    assertThat(v.failures()).containsExactly("v0: too few steady-state samples for a slope (0)");
    assertThat(SoakAnalysis.verdict(List.of(), GOOD, 50).failures()).contains("no memory samples");
  }

  @Test
  void seriesGrowsAndRefusesTimeGoingBackwards() {
    MemorySeries s = new MemorySeries("v0");
    for (int i = 0; i < 1000; i++) {
      s.add(i, i * 2L, i * 3L);
    }
    assertThat(s.size()).isEqualTo(1000);
    assertThat(s.rss(999)).isEqualTo(1998);
    assertThat(s.heap(999)).isEqualTo(2997);
    assertThatThrownBy(() -> s.add(5, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.timeNs(1000)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void samplingThatFallsBehindSkipsTheSlotsItMissed() {
    assertThat(SoakAnalysis.nextSample(-1, 0, 10)).isZero();
    assertThat(SoakAnalysis.nextSample(0, 3, 10)).isEqualTo(10);
    // the sample at 10 took until 37: the next is 40, not 20 and 30 back to back
    assertThat(SoakAnalysis.nextSample(10, 37, 10)).isEqualTo(40);
    assertThat(SoakAnalysis.nextSample(10, 40, 10)).isEqualTo(40);
    assertThatThrownBy(() -> SoakAnalysis.nextSample(0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * The last 30-minute soak's validators: heap 512 MiB, direct-memory limit 512 MiB (the launcher's
   * quarter of the heap, at least 256, plus half the heap) holding a 128 MiB state cache, RocksDB
   * 128 MiB, the JVM's own native memory 143 MiB (357 measured less 214 direct), mapped files 40
   * MiB: a highest RSS of 1,081.4 MiB is within it, where the old fixed allowance said OVER.
   */
  @Test
  void budgetAddsEachConfiguredPartAndComparesTheHighestRss() {
    SoakAnalysis.Row v0 = new SoakAnalysis.Row("v0", 74, 986.4, 1081.4, 1081.4, 12.0, 247.3, 478.5);
    SoakAnalysis.Row v1 = new SoakAnalysis.Row("v1", 74, 988.5, 1080.7, 1080.9, 2.7, 480.3, 482.5);
    SoakAnalysis.Budget b =
        new SoakAnalysis.Budget(512, 128, 512, 143, 40, List.of(97.5, -1.0), 128);
    assertThat(b.expectedMib()).isEqualTo(512 + 512 + 128 + 143 + 40.0);
    assertThat(SoakAnalysis.renderBudget(b, List.of(v0, v1)))
        .isEqualTo(
            "memory budget per validator: heap 512 MiB (-Xmx) + direct memory 512 MiB"
                + " (MaxDirectMemorySize: Netty's buffers and the state cache of 128 MiB) + RocksDB"
                + " 128 MiB (block cache and memtables) + JVM native 143 MiB (GC, metaspace, code,"
                + " threads, compiler: native memory tracking at the start of the steady state) +"
                + " mapped files 40 MiB (jars and native libraries, RssFile) = 1335 MiB; highest"
                + " RSS 1081.4 MiB (v0), within it by 254 MiB"
                + System.lineSeparator()
                + "RocksDB cache and memtables at the end (MiB): v0 97.5, v1 -"
                + System.lineSeparator());

    // Without a native memory reading: an allowance for the JVM, nothing for mapped files.
    SoakAnalysis.Budget allowance =
        new SoakAnalysis.Budget(512, 128, 256, -1, -1, List.of(97.5, -1.0), 0);
    assertThat(allowance.jvmMib()).isEqualTo(128 + 512 / 16.0);
    assertThat(allowance.expectedMib()).isEqualTo(512 + 256 + 128 + 160.0);
    assertThat(SoakAnalysis.renderBudget(allowance, List.of(v0, v1)))
        .startsWith(
            "memory budget per validator: heap 512 MiB (-Xmx) + direct memory 256 MiB"
                + " (MaxDirectMemorySize: Netty's buffers) + RocksDB 128 MiB (block cache and"
                + " memtables) + JVM native 160 MiB (GC, metaspace, code, threads, compiler: not"
                + " measured, an allowance) = 1056 MiB; highest RSS 1081.4 MiB (v0), OVER it by"
                + " 25 MiB");

    SoakAnalysis.Budget unknown = new SoakAnalysis.Budget(512, 128, -1, 143, 40, List.of(-1.0), 0);
    assertThat(unknown.expectedMib()).isEqualTo(-1.0);
    assertThat(SoakAnalysis.renderBudget(unknown, List.of(v0)))
        .contains("direct memory ? MiB")
        .contains("= ? MiB; highest RSS 1081.4 MiB (v0)" + System.lineSeparator());
  }

  /**
   * The JVM's own native memory is native memory tracking's total less the heap and direct memory
   * at each validator's first reading in the steady state (the largest over the validators), with
   * the resident mapped files of that sample; samples before the steady state or without a reading
   * are skipped.
   */
  @Test
  void jvmNativeMemoryIsMeasuredAtTheFirstReadingOfTheSteadyState() {
    long mib = 1L << 20;
    MemorySeries v0 = new MemorySeries("v0");
    v0.add(0, 900 * mib, 100 * mib, parts(300 * mib, 100 * mib, 30 * mib)); // warm-up
    v0.add(10_000, 950 * mib, 100 * mib, parts(-1, -1, 35 * mib)); // no reading
    v0.add(20_000, 960 * mib, 100 * mib, parts(350 * mib, 210 * mib, 40 * mib));
    v0.add(30_000, 990 * mib, 100 * mib, parts(400 * mib, 210 * mib, 44 * mib)); // later
    MemorySeries v1 = new MemorySeries("v1");
    v1.add(10_000, 950 * mib, 100 * mib, parts(380 * mib, 200 * mib, 38 * mib));
    double[] m = SoakAnalysis.measuredAtStart(List.of(v0, v1), 5_000);
    assertThat(m[0]).isEqualTo(180.0); // v1: 380 - 200; v0: 350 - 210 = 140
    assertThat(m[1]).isEqualTo(40.0);
    assertThat(m[2]).isEqualTo(20_000.0);
    assertThat(SoakAnalysis.measuredAtStart(List.of(new MemorySeries("v2")), 0))
        .containsExactly(-1.0, -1.0, -1.0);
  }

  private static long[] parts(long jvmNative, long direct, long rssFile) {
    long[] parts = MemoryPart.unknown();
    parts[MemoryPart.JVM_NATIVE.ordinal()] = jvmNative;
    parts[MemoryPart.JVM_DIRECT.ordinal()] = direct;
    parts[MemoryPart.RSS_FILE.ordinal()] = rssFile;
    return parts;
  }

  @Test
  void sizesParseAsXmxTakesThem() {
    assertThat(SoakAnalysis.sizeMib("512m")).isEqualTo(512.0);
    assertThat(SoakAnalysis.sizeMib("1g")).isEqualTo(1024.0);
    assertThat(SoakAnalysis.sizeMib("2G")).isEqualTo(2048.0);
    assertThat(SoakAnalysis.sizeMib("1048576k")).isEqualTo(1024.0);
    assertThat(SoakAnalysis.sizeMib("1048576")).isEqualTo(1.0);
    assertThat(SoakAnalysis.sizeMib("lots")).isEqualTo(-1.0);
    assertThat(SoakAnalysis.sizeMib("")).isEqualTo(-1.0);
  }

  /**
   * 0..300 s, a sample every 10 s: RSS = 1,300 MiB + RocksDB's cache + {@code outsidePerStep} MiB
   * per sample; the cache grows 1 MiB per sample from 60 MiB up to {@code cacheEnd}, against a
   * capacity of 128 MiB. Native memory tracking known every 6th sample only.
   */
  private static MemorySeries withParts(long cacheEndMib, long outsidePerStepMib) {
    MemorySeries s = new MemorySeries("v0");
    for (int k = 0; k <= 30; k++) {
      long cache = Math.min(60 + k * (cacheEndMib - 60) / 30, cacheEndMib) * MIB;
      long[] parts = MemoryPart.unknown();
      parts[MemoryPart.ROCKSDB_CACHE.ordinal()] = cache;
      parts[MemoryPart.ROCKSDB_TABLE_READERS.ordinal()] = MIB;
      parts[MemoryPart.ROCKSDB_CAPACITY.ordinal()] = 128 * MIB;
      if (k % 6 == 0) {
        parts[MemoryPart.JVM_NATIVE.ordinal()] = (200 + k) * MIB;
      }
      s.add(k * 10 * S, 1300 * MIB + cache + MIB + k * outsidePerStepMib * MIB, 500 * MIB, parts);
    }
    return s;
  }

  @Test
  void growthThatIsRocksDbFillingItsBoundedCacheIsFlatByAttribution() {
    MemorySeries s = withParts(120, 0);
    SoakAnalysis.Row row = SoakAnalysis.row(s, 0);
    SoakAnalysis.Attribution a = SoakAnalysis.attribution(s, 0);
    // 60 MiB in 300 s: 720 MiB/h, all of it the cache
    assertThat(row.slopeMibPerHour()).isCloseTo(720, within(1.0));
    assertThat(a.rssSlopeMibPerHour()).isCloseTo(row.slopeMibPerHour(), within(1e-9));
    assertThat(a.slope(MemoryPart.ROCKSDB_CACHE)).isCloseTo(720, within(1.0));
    assertThat(a.outsideRocksDbSlopeMibPerHour()).isCloseTo(0, within(1e-9));
    assertThat(a.rocksDbBounded()).isTrue();
    assertThat(a.rocksDbEndMib()).isEqualTo(121.0);
    assertThat(a.rocksDbCapacityMib()).isEqualTo(128.0);
    // native memory: known at 180, 240 and 300 s of the second half (150..300 s): 6 MiB per 60 s
    assertThat(a.slope(MemoryPart.JVM_NATIVE)).isCloseTo(360, within(1e-6));
    assertThat(a.end(MemoryPart.JVM_NATIVE)).isEqualTo(230.0);
    assertThat(a.slope(MemoryPart.MALLOC_RSS)).isNaN();
    assertThat(a.end(MemoryPart.MALLOC_RSS)).isEqualTo(-1.0);

    SoakAnalysis.Verdict v = SoakAnalysis.verdict(List.of(row), List.of(a), GOOD, 50);
    assertThat(v.pass()).isTrue();
    assertThat(v.flat()).isTrue();
    assertThat(v.notes()).singleElement().asString().contains("v0", "bounded cache", "121.0");
    assertThat(SoakAnalysis.render(List.of(row), GOOD, v, 50)).contains("flat by attribution");
    // without the attribution the same row fails
    assertThat(SoakAnalysis.verdict(List.of(row), GOOD, 50).flat()).isFalse();
  }

  /**
   * The execution state's resident pages grow 2 MiB per sample up to its bounded cache: its own
   * part, left out of "outside" while within the bound; unbounded (limit -1) its growth stays in
   * "outside" and the row is not flat.
   */
  @Test
  void theStateCacheIsItsOwnPartAndCountsAsBoundedOnlyWithinItsLimit() {
    for (long limitMib : new long[] {160, -1}) {
      MemorySeries s = new MemorySeries("v2");
      for (int k = 0; k <= 30; k++) {
        long[] parts = MemoryPart.unknown();
        parts[MemoryPart.ROCKSDB_CACHE.ordinal()] = 100 * MIB;
        parts[MemoryPart.ROCKSDB_CAPACITY.ordinal()] = 128 * MIB;
        long state = (60 + 2L * k) * MIB;
        parts[MemoryPart.STATE_PAGES.ordinal()] = state;
        parts[MemoryPart.STATE_CACHE_LIMIT.ordinal()] = limitMib < 0 ? -1 : limitMib * MIB;
        parts[MemoryPart.STATE_ALL_PAGES.ordinal()] = 4 * state;
        s.add(k * 10 * S, 1000 * MIB + 100 * MIB + state, 500 * MIB, parts);
      }
      SoakAnalysis.Row row = SoakAnalysis.row(s, 0);
      SoakAnalysis.Attribution a = SoakAnalysis.attribution(s, 0);
      // 2 MiB per 10 s: 720 MiB/h, all of it the state's pages
      assertThat(a.slope(MemoryPart.STATE_PAGES)).isCloseTo(720, within(1.0));
      assertThat(a.end(MemoryPart.STATE_PAGES)).isEqualTo(120.0);
      assertThat(a.end(MemoryPart.STATE_ALL_PAGES)).isEqualTo(480.0);
      SoakAnalysis.Verdict v = SoakAnalysis.verdict(List.of(row), List.of(a), GOOD, 50);
      if (limitMib > 0) {
        assertThat(a.outsideRocksDbSlopeMibPerHour()).isCloseTo(0, within(1e-6));
        assertThat(v.flat()).isTrue();
        assertThat(v.notes()).singleElement().asString().contains("state cache (120.0 of 160.0");
      } else {
        assertThat(a.outsideRocksDbSlopeMibPerHour()).isCloseTo(720, within(1.0));
        assertThat(v.flat()).isFalse();
      }
      assertThat(SoakAnalysis.renderAttribution(List.of(a))).contains("state", "state cap");
    }
  }

  /**
   * RocksDB's cache rises 60 → 120 MiB, then a memtable flush drops it to 80 MiB and it rises again
   * to 90 MiB; malloc keeps what was freed, so RSS is 1,000 MiB plus the highest cache so far.
   * Taken out of RSS at its current value, the flush's 40 MiB would read as growth outside RocksDB
   * over the second half; taken out at its high-water mark, "outside" is flat.
   */
  @Test
  void rssFollowsRocksDbsHighWaterMarkNotItsCurrentUseAfterAFlush() {
    MemorySeries s = new MemorySeries("v3");
    long high = 0;
    long[] cacheMib = new long[31];
    for (int k = 0; k <= 30; k++) {
      cacheMib[k] = k <= 24 ? 60 + 60L * k / 24 : 80 + 2L * (k - 25);
      long cache = cacheMib[k] * MIB;
      high = Math.max(high, cache);
      long[] parts = MemoryPart.unknown();
      parts[MemoryPart.ROCKSDB_CACHE.ordinal()] = cache;
      parts[MemoryPart.ROCKSDB_CAPACITY.ordinal()] = 128 * MIB;
      s.add(k * 10 * S, 1000 * MIB + high, 500 * MIB, parts);
    }
    long[] water = SoakAnalysis.rocksDbHighWater(s);
    assertThat(water[24]).isEqualTo(120 * MIB);
    assertThat(water[25]).isEqualTo(120 * MIB);
    assertThat(water[30]).isEqualTo(120 * MIB);
    // RSS less the current cache: 1,000 MiB up to the flush, 1,040 after it
    assertThat((1000 + 120 - cacheMib[25]) - (1000 + 120 - cacheMib[24])).isEqualTo(40);
    SoakAnalysis.Attribution a = SoakAnalysis.attribution(s, 0);
    assertThat(a.rssSlopeMibPerHour()).isGreaterThan(50);
    assertThat(a.outsideRocksDbSlopeMibPerHour()).isCloseTo(0, within(1e-6));
    SoakAnalysis.Verdict v =
        SoakAnalysis.verdict(List.of(SoakAnalysis.row(s, 0)), List.of(a), GOOD, 50);
    assertThat(v.flat()).isTrue();
  }

  @Test
  void aCacheOverItsCapacityOrGrowthOutsideRocksDbIsNotFlat() {
    MemorySeries over = withParts(140, 0);
    SoakAnalysis.Verdict v =
        SoakAnalysis.verdict(
            List.of(SoakAnalysis.row(over, 0)),
            List.of(SoakAnalysis.attribution(over, 0)),
            GOOD,
            50);
    assertThat(v.flat()).isFalse();
    assertThat(v.failures()).singleElement().asString().contains("NOT always within");

    // 1 MiB per sample outside RocksDB: 360 MiB/h
    MemorySeries leaking = withParts(120, 1);
    SoakAnalysis.Attribution a = SoakAnalysis.attribution(leaking, 0);
    assertThat(a.outsideRocksDbSlopeMibPerHour()).isCloseTo(360, within(1.0));
    v = SoakAnalysis.verdict(List.of(SoakAnalysis.row(leaking, 0)), List.of(a), GOOD, 50);
    assertThat(v.flat()).isFalse();
    assertThat(v.failures()).singleElement().asString().contains("outside RocksDB 360.0 MiB/h");
  }

  @Test
  void withoutPartsTheAttributionIsUnknownAndTheVerdictUnchanged() {
    MemorySeries s = new MemorySeries("v1");
    for (int k = 0; k <= 30; k++) {
      s.add(k * 10 * S, (1000 + k) * MIB, -1);
    }
    SoakAnalysis.Attribution a = SoakAnalysis.attribution(s, 0);
    assertThat(a.outsideRocksDbSlopeMibPerHour()).isNaN();
    assertThat(a.rocksDbBounded()).isFalse();
    SoakAnalysis.Row row = SoakAnalysis.row(s, 0);
    assertThat(SoakAnalysis.verdict(List.of(row), List.of(a), GOOD, 50).failures())
        .isEqualTo(SoakAnalysis.verdict(List.of(row), GOOD, 50).failures());
    assertThat(SoakAnalysis.renderAttribution(List.of(a))).contains("v1", "outside", "rocksdb");
    assertThatThrownBy(() -> s.add(400 * S, MIB, MIB, new long[2]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRareReadingIsDueFirstAtOnceThenAfterItsInterval() {
    assertThat(SoakAnalysis.due(-1, 0, 60 * S)).isTrue();
    assertThat(SoakAnalysis.due(-1, 10 * S, 60 * S)).isTrue();
    assertThat(SoakAnalysis.due(10 * S, 69 * S, 60 * S)).isFalse();
    assertThat(SoakAnalysis.due(10 * S, 70 * S, 60 * S)).isTrue();
  }
}
