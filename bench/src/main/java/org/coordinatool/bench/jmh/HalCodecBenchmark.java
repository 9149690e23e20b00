package org.coordinatool.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.coordinatool.bench.core.CoreDriver;
import org.coordinatool.bench.core.SyntheticItems;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.HalCodec;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmActionList;
import org.coordinatool.hsm.HsmExtent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The binary hsm_action_list codec, as Lustre's action lists reach the coordinator. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HalCodecBenchmark {

    @Param({"1", "100"})
    public int items;

    private final HalCodec codec = HalCodec.hostOrder();
    private HsmActionList hal;
    private byte[] encoded;

    @Setup
    public void build() {
        SyntheticItems synthetic = new SyntheticItems(32);
        List<HsmActionItem> list = new ArrayList<>(items);
        for (int n = 0; n < items; n++) {
            WireItem w = synthetic.archive(n);
            list.add(new HsmActionItem(w.action(), w.fid(), w.dfid(), new HsmExtent(w.extentOffset(),
                    w.extentLength()), w.cookie(), w.gid(), w.data()));
        }
        hal = new HsmActionList(0, SyntheticItems.ARCHIVE_ID, CoreDriver.FSNAME, list);
        encoded = codec.encode(hal);
    }

    @Benchmark
    public byte[] encode() {
        return codec.encode(hal);
    }

    @Benchmark
    public HsmActionList decode() {
        return codec.decode(encoded);
    }
}
