package org.homecoming.benchmarks.matching;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Loads a million synthetic inquiries into an {@code InquiryIndex} and prints the heap they occupy after a
 * full GC. Run it with {@code -Xmx512m}: the service's whole heap budget.
 */
public final class InquiryIndexHeap {

    private InquiryIndexHeap() {
    }

    public static void main(String[] args) {
        int inquiries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        long start = System.nanoTime();
        SyntheticInquiries data = SyntheticInquiries.build(inquiries, 0);
        long loadMillis = (System.nanoTime() - start) / 1_000_000;
        long after = usedAfterGc(memory);
        System.out.printf(Locale.ROOT, "inquiries: %d (index size %d), loaded in %.1f s%n", inquiries,
                data.index.size(), loadMillis / 1000.0);
        System.out.printf(Locale.ROOT, "heap used after GC: %.1f MB before, %.1f MB after, %.1f MB for the index "
                + "(%.0f bytes per inquiry); max heap %.0f MB%n", mb(before), mb(after), mb(after - before),
                (double) (after - before) / inquiries, mb(memory.getHeapMemoryUsage().getMax()));
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
