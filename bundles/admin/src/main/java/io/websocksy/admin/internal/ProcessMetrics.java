package io.websocksy.admin.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;

import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * JVM and process basics under the names the Prometheus Java client uses (jvm_*, process_*), read from
 * the platform MXBeans. The open/max file descriptor counts come from the OperatingSystem MBean's
 * attributes (the com.sun.management interface is not visible to bundles); -1 where the JVM does not
 * have them.
 */
final class ProcessMetrics {
    private static final ObjectName OS = name("java.lang:type=OperatingSystem");

    private ProcessMetrics() {
    }

    private static ObjectName name(String n) {
        try {
            return new ObjectName(n);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the OperatingSystem MBean's long attribute, or -1 */
    static long os(String attribute) {
        try {
            MBeanServer s = ManagementFactory.getPlatformMBeanServer();
            Object v = s.getAttribute(OS, attribute);
            return v instanceof Number ? ((Number) v).longValue() : -1;
        } catch (Exception | LinkageError e) {
            return -1;
        }
    }

    static long openFds() {
        return os("OpenFileDescriptorCount");
    }

    static long maxFds() {
        return os("MaxFileDescriptorCount");
    }

    static void write(PrometheusText t) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        t.family("jvm_memory_used_bytes", "gauge", "Used bytes of a given JVM memory area.");
        t.sample("jvm_memory_used_bytes", heap.getUsed(), "area", "heap");
        t.sample("jvm_memory_used_bytes", nonHeap.getUsed(), "area", "nonheap");
        t.family("jvm_memory_committed_bytes", "gauge", "Committed bytes of a given JVM memory area.");
        t.sample("jvm_memory_committed_bytes", heap.getCommitted(), "area", "heap");
        t.sample("jvm_memory_committed_bytes", nonHeap.getCommitted(), "area", "nonheap");
        t.family("jvm_memory_max_bytes", "gauge", "Max bytes of a given JVM memory area (-1 = undefined).");
        t.sample("jvm_memory_max_bytes", heap.getMax(), "area", "heap");
        t.sample("jvm_memory_max_bytes", nonHeap.getMax(), "area", "nonheap");
        t.family("jvm_gc_collection_seconds", "summary", "Time spent in a given JVM garbage collector.");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            t.sample("jvm_gc_collection_seconds_count", Math.max(0, gc.getCollectionCount()), "gc", gc.getName());
            t.sample("jvm_gc_collection_seconds_sum", Math.max(0, gc.getCollectionTime()) / 1000.0, "gc", gc.getName());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        t.family("jvm_threads_current", "gauge", "Current thread count of the JVM.");
        t.sample("jvm_threads_current", threads.getThreadCount());
        t.family("jvm_threads_daemon", "gauge", "Daemon thread count of the JVM.");
        t.sample("jvm_threads_daemon", threads.getDaemonThreadCount());
        t.family("jvm_threads_peak", "gauge", "Peak thread count of the JVM.");
        t.sample("jvm_threads_peak", threads.getPeakThreadCount());
        t.family("process_open_fds", "gauge", "Number of open file descriptors.");
        t.sample("process_open_fds", openFds());
        t.family("process_max_fds", "gauge", "Maximum number of open file descriptors.");
        t.sample("process_max_fds", maxFds());
        long cpu = os("ProcessCpuTime");
        t.family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
        t.sample("process_cpu_seconds_total", cpu < 0 ? -1 : cpu / 1e9);
        t.family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
        t.sample("process_start_time_seconds", ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
    }
}
