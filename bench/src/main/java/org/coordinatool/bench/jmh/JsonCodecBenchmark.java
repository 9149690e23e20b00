package org.coordinatool.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.coordinatool.bench.core.CoreDriver;
import org.coordinatool.bench.core.SyntheticItems;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.InvalidContentException;
import org.coordinatool.coordinator.protocol.ItemJson;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.coordinatool.coordinator.protocol.JsonStyle;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JSON coding on the request path: one item as Redis stores it (encode on every new request,
 * parse on recovery), a recv reply of 100 items, a queue command of 100 items and a done command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JsonCodecBenchmark {

    static final int LIST_ITEMS = 100;

    private WireItem item;
    private byte[] itemJson;
    private Reply.ActionList actionList;
    private byte[] queueCommand;
    private byte[] doneCommand;

    @Setup
    public void build() {
        SyntheticItems synthetic = new SyntheticItems(32);
        item = synthetic.archive(12345);
        itemJson = ItemJson.toBytes(item, JsonStyle.COMPACT);
        List<WireItem> list = new ArrayList<>(LIST_ITEMS);
        for (int n = 0; n < LIST_ITEMS; n++) {
            list.add(synthetic.archive(n));
        }
        actionList = new Reply.ActionList(SyntheticItems.ARCHIVE_ID, 0, CoreDriver.FSNAME, list);
        queueCommand = JsonCodec.encodeCommand(new Command.Queue(true, list, List.of(), CoreDriver.FSNAME));
        doneCommand = JsonCodec.encodeCommand(new Command.Done(item.cookie(), item.dfid(), 0));
    }

    @Benchmark
    public byte[] itemEncode() {
        return ItemJson.toBytes(item, JsonStyle.COMPACT);
    }

    @Benchmark
    public WireItem itemDecode() throws InvalidContentException {
        return ItemJson.parse(itemJson);
    }

    @Benchmark
    public byte[] recvReplyEncode() {
        return JsonCodec.encodeReply(actionList);
    }

    @Benchmark
    public Command queueCommandDecode() {
        return JsonCodec.decodeCommand(queueCommand);
    }

    @Benchmark
    public Command doneCommandDecode() {
        return JsonCodec.decodeCommand(doneCommand);
    }
}
