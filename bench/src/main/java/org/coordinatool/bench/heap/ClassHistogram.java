package org.coordinatool.bench.heap;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The live objects of this JVM by class, as {@code jcmd PID GC.class_histogram} prints them (the
 * same diagnostic command, which runs a full GC first, called through its MBean).
 */
public final class ClassHistogram {

    /** Instances and bytes of one class. */
    public record Entry(String className, long instances, long bytes) {
    }

    private final Map<String, Entry> byClass;

    private ClassHistogram(Map<String, Entry> byClass) {
        this.byClass = byClass;
    }

    public static ClassHistogram take() {
        String text;
        try {
            text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("GC.class_histogram failed: " + e, e);
        }
        return parse(text);
    }

    /** Parses the command's output: "num: instances bytes class-name [(module)]" lines. */
    static ClassHistogram parse(String text) {
        Map<String, Entry> byClass = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[0].endsWith(":")) {
                continue;
            }
            byClass.merge(f[3], new Entry(f[3], Long.parseLong(f[1]), Long.parseLong(f[2])),
                    (a, b) -> new Entry(a.className(), a.instances() + b.instances(), a.bytes() + b.bytes()));
        }
        return new ClassHistogram(byClass);
    }

    /** What this histogram holds beyond {@code before}, largest first. */
    public List<Entry> growthSince(ClassHistogram before) {
        List<Entry> growth = new ArrayList<>();
        for (Entry e : byClass.values()) {
            Entry b = before.byClass.get(e.className());
            long instances = e.instances() - (b == null ? 0 : b.instances());
            long bytes = e.bytes() - (b == null ? 0 : b.bytes());
            if (bytes != 0) {
                growth.add(new Entry(e.className(), instances, bytes));
            }
        }
        growth.sort((x, y) -> Long.compare(y.bytes(), x.bytes()));
        return growth;
    }

    public long totalBytes() {
        return byClass.values().stream().mapToLong(Entry::bytes).sum();
    }
}
